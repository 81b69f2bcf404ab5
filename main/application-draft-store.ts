/**
 * The application wizard's draft, one JSON file per applicant in the user-data folder
 * (`application-drafts/<IIN>.json`, readable by the user only): written atomically, validated
 * when read (a file that does not pass is set aside as `.corrupt-<time>` and a fresh draft
 * begins), writes to one file queued one after another. docs/applications.md, The draft.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ApplicationDraft } from '../contract/contract.ts';
import { writeJsonAtomically } from './settings.ts';

export class ApplicationDraftStore {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly dir: string,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  async get(iin: string): Promise<ApplicationDraft> {
    const file = this.file(iin);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return ApplicationDraft.parse({});
      throw e;
    }
    try {
      return ApplicationDraft.parse(JSON.parse(text));
    } catch {
      const backup = `${file}.corrupt-${Date.now()}`;
      await fs.rename(file, backup).catch(() => undefined);
      this.warn(`application draft was invalid; moved to ${backup}`);
      return ApplicationDraft.parse({});
    }
  }

  save(iin: string, draft: ApplicationDraft): Promise<ApplicationDraft> {
    const valid = ApplicationDraft.parse(draft);
    return this.queued(iin, () => writeJsonAtomically(this.file(iin), valid).then(() => valid));
  }

  /** Read, change and write in one turn of the file's queue: two changes at once both stand. */
  update(iin: string, change: (stored: ApplicationDraft) => ApplicationDraft): Promise<ApplicationDraft> {
    return this.queued(iin, async () => {
      const next = ApplicationDraft.parse(change(await this.get(iin)));
      await writeJsonAtomically(this.file(iin), next);
      return next;
    });
  }

  /** Every applicant's draft goes (a kiosk's session end: nothing of one person stays on the disk). */
  async discardAll(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queued) => queued.catch(() => undefined)));
    this.queues.clear();
    await fs.rm(this.dir, { recursive: true, force: true });
  }

  discard(iin: string): Promise<void> {
    return this.queued(iin, () => fs.rm(this.file(iin), { force: true }));
  }

  private file(iin: string): string {
    if (!/^\d{12}$/.test(iin)) throw new Error('a draft belongs to an IIN');
    return path.join(this.dir, `${iin}.json`);
  }

  private queued<T>(iin: string, work: () => Promise<T>): Promise<T> {
    const next = (this.queues.get(iin) ?? Promise.resolve()).catch(() => undefined).then(work);
    this.queues.set(iin, next);
    return next;
  }
}
