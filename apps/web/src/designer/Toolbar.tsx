'use client';

interface Props {
  readonly revision: number;
  readonly dirty: boolean;
  readonly readOnly: boolean;
  readonly canRun: boolean;
  readonly saving: boolean;
  readonly problemCount: number;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly onSave: () => void;
  readonly onRun: () => void;
  readonly onUndo: () => void;
  readonly onRedo: () => void;
  readonly onLayout: () => void;
  readonly onFit: () => void;
  readonly onRevisions: () => void;
  readonly onExport: () => void;
  readonly onImport: () => void;
}

export function Toolbar(p: Props) {
  return (
    <div className="toolbar" role="toolbar" aria-label="Designer">
      {!p.readOnly ? (
        <button className="primary" onClick={p.onSave} disabled={p.saving || !p.dirty} title="Save a new revision (Ctrl+S)">
          {p.saving ? 'Saving…' : 'Save'}
        </button>
      ) : null}
      {p.canRun ? (
        <button onClick={p.onRun} title="Start a run of the saved revision">
          ▶ Run
        </button>
      ) : null}
      <span className="sep" />
      {!p.readOnly ? (
        <>
          <button onClick={p.onUndo} disabled={!p.canUndo} title="Undo (Ctrl+Z)" aria-label="Undo">
            ↶ Undo
          </button>
          <button onClick={p.onRedo} disabled={!p.canRedo} title="Redo (Ctrl+Shift+Z)" aria-label="Redo">
            ↷ Redo
          </button>
          <button onClick={p.onLayout} title="Arrange the atoms left to right">
            Auto-layout
          </button>
        </>
      ) : null}
      <button onClick={p.onFit} title="Fit the view (F)">
        Fit
      </button>
      <span className="sep" />
      <button onClick={p.onRevisions}>Revisions</button>
      <button onClick={p.onExport}>Export</button>
      {!p.readOnly ? <button onClick={p.onImport}>Import</button> : null}
      <span className="status" data-testid="save-status">
        r{p.revision}
        {p.dirty ? <span className="unsaved"> · unsaved changes</span> : <span className="muted"> · saved</span>}
        {p.readOnly ? <span className="muted"> · read-only (viewer)</span> : null}
        {p.problemCount ? (
          <span className="bad">
            {' '}
            · {p.problemCount} problem{p.problemCount === 1 ? '' : 's'}
          </span>
        ) : null}
      </span>
    </div>
  );
}
