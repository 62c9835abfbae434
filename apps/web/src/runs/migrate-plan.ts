import type { RevisionDiff } from '@atomflow/model';

/** What a migration does to each atom, as the migrate dialog lists it. */
export type MigrateFate =
  /** same name, type and version, already succeeded: its result is kept, it does not run again */
  | 'keeps'
  /** same atom, not succeeded yet: it runs when the run continues */
  | 'reruns'
  /** only in the new revision: it runs */
  | 'new'
  /** another type or version: a new atom with a fresh record, it runs */
  | 'version'
  /** not in the new revision: ignored from now on */
  | 'dropped';

export interface MigrateRow {
  readonly name: string;
  readonly fate: MigrateFate;
  /** the atom's state in the run now (absent for new atoms) */
  readonly state?: string | undefined;
  /** "v1 → v2" / "test.fail → test.echo" for version changes */
  readonly detail?: string | undefined;
  /** same version, different configuration (it still keeps its result when it succeeded) */
  readonly configChanged?: boolean;
}

const KEPT_STATES = new Set(['SUCCESS', 'IGNORE']);

/** Each atom of either revision with what the migration does to it, in a stable order (kept first, dropped last). */
export function migrationRows(diff: RevisionDiff, states: Readonly<Record<string, string>>): MigrateRow[] {
  const config = new Set(diff.configChanged);
  const rows: MigrateRow[] = [];
  for (const a of diff.unchanged) {
    const state = states[a.name];
    rows.push({
      name: a.name,
      fate: state !== undefined && KEPT_STATES.has(state) ? 'keeps' : 'reruns',
      state,
      ...(config.has(a.name) ? { configChanged: true } : {}),
    });
  }
  for (const v of diff.versionChanged) {
    const detail =
      v.from.type === v.to.type
        ? `v${v.from.version} → v${v.to.version}`
        : `${v.from.type} v${v.from.version} → ${v.to.type} v${v.to.version}`;
    rows.push({ name: v.name, fate: 'version', state: states[v.name], detail });
  }
  for (const a of diff.added) rows.push({ name: a.name, fate: 'new' });
  for (const a of diff.removed) rows.push({ name: a.name, fate: 'dropped', state: states[a.name] });
  const order: MigrateFate[] = ['keeps', 'reruns', 'version', 'new', 'dropped'];
  return rows.sort((x, y) => order.indexOf(x.fate) - order.indexOf(y.fate));
}

export const FATE_LABEL: Record<MigrateFate, string> = {
  keeps: 'keeps its result',
  reruns: 'runs again (had not succeeded)',
  new: 'new: will run',
  version: 'version changed: will run',
  dropped: 'dropped: ignored from now on',
};
