/**
 * Command-line switches a packaged build refuses to start with. Chromium opens its DevTools
 * protocol on --remote-debugging-port / --remote-debugging-pipe: anyone who can start the app (a
 * shortcut, another program) could then drive the window and read what it shows. No fuse turns
 * these off, so a packaged build quits when it sees one; an unpackaged (developer's) run may use them.
 */
export const REFUSED_SWITCHES = ['remote-debugging-port', 'remote-debugging-pipe'] as const;

/** The refused switch a packaged build was started with, or null. `hasSwitch` is Chromium's view (app.commandLine). */
export function refusedSwitch(options: { packaged: boolean; argv: readonly string[]; hasSwitch: (name: string) => boolean }): string | null {
  if (!options.packaged) return null;
  for (const name of REFUSED_SWITCHES) {
    // Chromium also takes "-name" and, on Windows, "/name"; hasSwitch sees what Chromium parsed.
    const inArgv = options.argv.some((arg) => new RegExp(`^(--|-|/)${name}(=|$)`).test(arg));
    if (inArgv || options.hasSwitch(name)) return name;
  }
  return null;
}
