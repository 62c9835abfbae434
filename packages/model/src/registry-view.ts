/** A config/input problem reported by an atom type, relative to the atom's `config`. */
export interface ConfigIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** The inputs an atom of some type takes, given its config. */
export interface AtomInputs {
  /** Names the atom cannot run without. */
  readonly required: readonly string[];
  /** Names the atom takes when available, with the value it gets otherwise. */
  readonly optional: Readonly<Record<string, unknown>>;
}

/** What validation and compilation need to know about one atom type at one version. */
export interface AtomTypeView {
  readonly type: string;
  readonly version: number;
  checkConfig(config: Record<string, unknown>): readonly ConfigIssue[];
  inputs(config: Record<string, unknown>): AtomInputs;
}

/** The atom registry as the pure model sees it (the engine's registry implements it). */
export interface AtomRegistryView {
  get(type: string, version: number): AtomTypeView | undefined;
  /** Known versions of a type, empty when the type is unknown. */
  versions(type: string): readonly number[];
}
