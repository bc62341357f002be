// The bundle's organisation label: a name for people reading the file, kept as a setting.
import type { BundleSection } from './section';

export const organisationSection: BundleSection<'organisation'> = {
  key: 'organisation',
  export: (db) =>
    (db.prepare(`SELECT value FROM settings WHERE key = 'organisation'`).pluck().get() as string | undefined) ||
    undefined,
  // A label, not policy: importing another one is not a change to review.
  plan: () => undefined,
  write(app, next) {
    if (!next.organisation) return;
    app.db
      .prepare(
        `INSERT INTO settings (key, value) VALUES ('organisation', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      .run(next.organisation);
  },
};
