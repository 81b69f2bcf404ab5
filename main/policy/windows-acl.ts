/**
 * Who could have written a file on Windows, from its security descriptor in SDDL (the
 * language-independent form: well-known SIDs, not translated group names). A policy file or its
 * folder is trusted only when it is owned by SYSTEM, Administrators or TrustedInstaller and no
 * access-control entry lets anyone else write, append, delete, or change its permissions or owner
 * (an allow-list: a specific user's SID is refused too). Read through an AclReader (PowerShell's
 * Get-Acl in production, a stand-in in tests).
 */

/** Reads a path's security descriptor as SDDL. */
export type AclReader = (path: string) => Promise<string>;

const TRUSTED = new Set([
  'SY', 'S-1-5-18', // SYSTEM
  'BA', 'S-1-5-32-544', // Administrators
  'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464', // TrustedInstaller
]);
/** OWNER RIGHTS: whoever owns the object, which must be trusted anyway. */
const OWNER_RIGHTS = new Set(['OW', 'S-1-3-4']);

/** SDDL access-right letters (MS-DTYP 2.5.1.1) and their mask bits. */
const RIGHTS: Readonly<Record<string, number>> = {
  GA: 0x10000000, GR: 0x80000000, GW: 0x40000000, GX: 0x20000000,
  RC: 0x20000, SD: 0x10000, WD: 0x40000, WO: 0x80000,
  RP: 0x10, WP: 0x20, CC: 0x1, DC: 0x2, LC: 0x4, SW: 0x8, LO: 0x80, DT: 0x40, CR: 0x100,
  FA: 0x1f01ff, FR: 0x120089, FW: 0x120116, FX: 0x1200a0,
  KA: 0xf003f, KR: 0x20019, KW: 0x20006, KX: 0x20019,
};
/**
 * Rights that change a file or folder: write data / add file (0x2), append / add subfolder (0x4),
 * write extended attributes (0x10), delete child (0x40), write attributes (0x100), DELETE,
 * WRITE_DAC, WRITE_OWNER, MAXIMUM_ALLOWED, GENERIC_ALL, GENERIC_WRITE.
 */
const WRITE_RIGHTS = 0x2 | 0x4 | 0x10 | 0x40 | 0x100 | 0x10000 | 0x40000 | 0x80000 | 0x2000000 | 0x10000000 | 0x40000000;

function rightsMask(rights: string): number | null {
  if (/^0x[0-9a-fA-F]{1,8}$/.test(rights)) return Number.parseInt(rights, 16);
  if (!/^([A-Z]{2})*$/.test(rights)) return null;
  let mask = 0;
  for (let i = 0; i < rights.length; i += 2) {
    const bits = RIGHTS[rights.slice(i, i + 2)];
    if (bits === undefined) return null;
    mask |= bits;
  }
  return mask;
}

/** Why the descriptor lets someone other than the system and administrators change the object; null when it does not. */
export function aclProblem(sddl: string): string | null {
  const text = sddl.trim();
  const owner = /^O:([A-Z]{2}|S-1-[0-9-]+)/.exec(text)?.[1];
  if (!owner) return 'its owner cannot be read';
  if (!TRUSTED.has(owner)) return `owned by ${owner}, not by Administrators or SYSTEM`;
  if (text.includes('D:NO_ACCESS_CONTROL')) return 'it has no access-control list (everyone may write)';
  // The whole descriptor must parse: owner, group, a DACL of plain entries, then only a SACL. An
  // entry it cannot read (a conditional one with nested parentheses) is refused, never skipped.
  const dacl = /^O:(?:[A-Z]{2}|S-1-[0-9-]+)(?:G:(?:[A-Z]{2}|S-1-[0-9-]+))?D:[A-Z]*((?:\([^()]*\))*)(?:S:.*)?$/.exec(text);
  if (!dacl) return 'its access-control list cannot be read';
  for (const ace of dacl[1]!.slice(1, -1).split(')(').filter(Boolean)) {
    const [type = '', flags = '', rights = '', , , sid = ''] = ace.split(';');
    if (type === 'D') continue; // deny entries take rights away
    if (!['A', 'OA', 'XA', 'ZA'].includes(type)) return `unknown access-control entry (${ace})`;
    if (flags.match(/.{2}/g)?.includes('IO')) continue; // inherit-only: for children, not this object
    const mask = rightsMask(rights);
    if (mask === null) return `unknown access rights (${ace})`;
    if (mask & WRITE_RIGHTS && !TRUSTED.has(sid) && !OWNER_RIGHTS.has(sid)) return `writable by ${sid}`;
  }
  return null;
}
