/**
 * Which key presses reach the window (before-input-event), as a pure function. Without an
 * application menu Electron binds no accelerators, so little reaches anything in an ordinary
 * window; this filter is the guarantee. In any window: reload and history navigation (going back
 * could show the previous screen). In kiosk mode also everything that closes, leaves fullscreen,
 * opens (new windows, files, printing, saving, view-source, devtools) or reaches the browser:
 * - every function key (F1-F24, with any modifiers: Alt+F4, F5, F11, F12, Shift+F10 ...);
 * - Ctrl/Cmd with a letter or digit, except the editing ones (A, C, V, X, Y, Z; with Shift: V, Z);
 * - Alt with anything but a plain character (Alt+Left/Right, Alt+Space, Alt+Home) and the
 *   Browser*, Launch* and ContextMenu keys;
 * AltGr (Ctrl+Alt on Windows) still types characters.
 * What no window sees, the OS must block: Alt+Tab, Ctrl+Alt+Del, Ctrl+Shift+Esc, the Windows key
 * and its combinations, switching virtual terminals (docs/kiosk.md).
 */
export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  shift: boolean;
  alt: boolean;
  meta: boolean;
}

const EDITING = new Set(['a', 'c', 'v', 'x', 'y', 'z']);
/** Ctrl+Shift+I/J/C open devtools in browsers: with Shift only redo (Z) and plain paste (V). */
const EDITING_WITH_SHIFT = new Set(['v', 'z']);
const editing = (input: KeyInput) => {
  const key = input.key.toLowerCase();
  return !input.alt && (input.shift ? EDITING_WITH_SHIFT : EDITING).has(key);
};
const RELOAD_OR_HISTORY = new Set(['BrowserRefresh', 'BrowserBack', 'BrowserForward']);

function blockedEverywhere(input: KeyInput, mod: boolean): boolean {
  const key = input.key.toLowerCase();
  if (RELOAD_OR_HISTORY.has(input.key) || input.key === 'F5') return true;
  if (mod && key === 'r') return true;
  return input.alt && !mod && (input.key === 'ArrowLeft' || input.key === 'ArrowRight');
}

/** True when the key press must not reach the window (event.preventDefault()). */
export function inputBlocked(input: KeyInput, options: { kiosk: boolean }): boolean {
  // Ctrl+Alt is AltGr on Windows: a character, not a shortcut.
  const altGr = input.control && input.alt && input.key.length === 1;
  const mod = (input.control || input.meta) && !altGr;
  if (blockedEverywhere(input, mod)) return true;
  if (!options.kiosk) return false;
  if (/^F\d{1,2}$/.test(input.key)) return true;
  if (/^(Browser|Launch)/.test(input.key) || input.key === 'ContextMenu') return true;
  if (mod && /^[a-z0-9]$/i.test(input.key) && !editing(input)) return true;
  if (input.alt && !altGr && !(input.key.length === 1 && !input.control)) return true;
  if (input.alt && input.key === ' ') return true;
  return input.meta && input.key.length > 1;
}
