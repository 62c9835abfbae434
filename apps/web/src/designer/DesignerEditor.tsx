'use client';

import type { AtomTypeInfo } from '@atomflow/api';
import { isFlowNode, type Problem } from '@atomflow/model';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';

import { Modal } from '../components/Modal';
import { useSession } from '../lib/session';
import { errorMessage, errorProblems, useTRPC } from '../lib/trpc';
import { Canvas, fitOptions } from './canvas/Canvas';
import { DesignerContext } from './canvas/designer-context';
import { DiffView } from './DiffView';
import { toDefinition, toDoc, type Change, type Doc } from './doc/changes';
import { copy, paste, type Clip } from './doc/clipboard';
import { connectChange } from './doc/connect';
import { historyReducer, initHistory, isDirty } from './doc/history';
import { autoLayout } from './doc/layout';
import { addAt, addNext, moveChange, newAtom, newFlow } from './doc/place';
import { toCanvas } from './doc/to-canvas';
import { locate } from './doc/tree';
import { onGroup, withNode } from './doc/validate';
import { download, exportText, readDefinition } from './file-io';
import { Inspector } from './inspector/Inspector';
import { decodeItem, Palette, type PaletteItem } from './Palette';
import { ProblemsPanel } from './ProblemsPanel';
import { RevisionsDialog } from './RevisionsDialog';
import { RunDialog } from './RunDialog';
import { Toolbar } from './Toolbar';
import { useShortcuts } from './use-shortcuts';
import { useValidation } from './use-validation';

interface Props {
  readonly flowId: string;
  readonly initial: Doc;
  readonly atoms: readonly AtomTypeInfo[];
}

export function DesignerEditor({ flowId, initial, atoms }: Props) {
  const { canEdit, canRun } = useSession();
  const readOnly = !canEdit;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rf = useReactFlow();
  const [history, dispatch] = useReducer(historyReducer, initial, initHistory);
  const doc = history.present;
  const dirty = isDirty(history);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [toast, setToast] = useState<{ text: string; bad?: boolean } | null>(null);
  const [clip, setClip] = useState<Clip | null>(null);
  const [refused, setRefused] = useState<readonly Problem[] | null>(null);
  const [importProblems, setImportProblems] = useState<readonly Problem[] | null>(null);
  const [dialog, setDialog] = useState<'run' | 'revisions' | null>(null);
  const [diff, setDiff] = useState<{ from: number; to: number } | null>(null);
  const [saving, setSaving] = useState(false);
  const paletteSearch = useRef<HTMLInputElement>(null);
  const validateM = useMutation(trpc.flows.validate.mutationOptions());
  const saveM = useMutation(trpc.flows.saveRevision.mutationOptions());
  const importInput = useRef<HTMLInputElement>(null);

  const apply = useCallback((changes: readonly Change[]) => {
    if (changes.length) dispatch({ type: 'apply', changes });
  }, []);
  const say = useCallback((text: string, bad = false) => setToast({ text, bad }), []);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setToast(null), 4000);
    return () => clearTimeout(t);
  }, [toast]);

  const { problems, inputs, checking } = useValidation(doc, atoms);
  const categories = useMemo(() => new Map(atoms.map((a) => [a.type, a.category])), [atoms]);
  const canvas = useMemo(
    () => toCanvas(doc, { problems, categories, selected, readOnly }),
    [doc, problems, categories, selected, readOnly],
  );
  // fits read the canvas of the moment they run (a layout fits after its change is drawn)
  const latestCanvas = useRef(canvas);
  latestCanvas.current = canvas;
  const fitAll = useCallback(
    (duration?: number) => {
      void rf.fitView(fitOptions(latestCanvas.current.nodes, duration === undefined ? {} : { duration }));
    },
    [rf],
  );
  const selectedNodes = useMemo(() => [...selected].filter((s) => !s.startsWith('edge:') && locate(doc, s)), [selected, doc]);

  // unsaved changes are guarded on leaving
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  const select = useCallback((names: readonly string[]) => setSelected(new Set(names)), []);
  const add = (item: PaletteItem, at?: { x: number; y: number }) => {
    if (readOnly) return;
    const info = item.kind === 'atom' ? atoms.find((a) => a.type === item.type && a.version === item.version) : undefined;
    const node = item.kind === 'atom' ? newAtom(doc, info ?? item) : newFlow(doc, item.flowKind);
    const group = selectedNodes.length === 1 ? locate(doc, selectedNodes[0]!)?.node : undefined;
    const change = at
      ? addAt(doc, node, at)
      : addNext(doc, node, group && isFlowNode(group) && !doc.ui.collapsed.includes(group.name) ? group.name : undefined);
    apply([change]);
    select([node.name]);
  };
  const onMoved = (moved: ReadonlyArray<{ id: string; x: number; y: number }>) => {
    const changes: Change[] = [];
    for (const m of moved) {
      const at = locate(doc, m.id);
      const n = canvas.nodes.find((c) => c.id === m.id);
      if (!at?.parent || !n) continue;
      changes.push(moveChange(doc, m.id, m, { width: n.width ?? 0, height: n.height ?? 0 }, at.parent.name));
    }
    apply(changes);
  };
  const onConnect = (from: string, to: string) => {
    const r = connectChange(doc, from, to);
    if ('change' in r) apply([r.change]);
    else say(r.error, true);
  };
  const remove = () => {
    const changes: Change[] = [];
    for (const id of selected) {
      const edge = canvas.edges.find((e) => e.id === id);
      if (edge?.data?.flow) changes.push({ type: 'removeEdge', flow: edge.data.flow, edge: { from: edge.data.from, to: edge.data.to } });
    }
    for (const name of selectedNodes) changes.push({ type: 'remove', name });
    apply(changes);
    setSelected(new Set());
  };
  const pasteClip = (c: Clip | null, parent?: string) => {
    if (!c || readOnly) return;
    const group = selectedNodes.length === 1 ? locate(doc, selectedNodes[0]!)?.node : undefined;
    const target = parent ?? (group && isFlowNode(group) ? group.name : (locate(doc, c.nodes[0]!.name)?.parent?.name ?? doc.root.name));
    const r = paste(doc, c, target, { x: 40, y: 40 });
    apply(r.changes);
    select(r.names);
  };
  const layout = async () => {
    apply(await autoLayout(doc));
    setTimeout(() => fitAll(300), 50);
  };
  const save = async () => {
    if (readOnly || saving) return;
    if (problems.length) return setRefused(problems);
    setSaving(true);
    try {
      const definition = toDefinition(doc);
      const checked = await validateM.mutateAsync({ definition });
      if (!checked.valid) return setRefused(checked.problems.map((p) => onGroup(doc, withNode(doc, p))));
      const saved = await saveM.mutateAsync({ flowId, baseRevision: doc.revision, definition });
      dispatch({ type: 'saved', doc: { ...doc, revision: saved.revision.revision } });
      await queryClient.invalidateQueries({ queryKey: trpc.flows.pathKey() });
      say(`Saved revision ${saved.revision.revision}`);
    } catch (e) {
      const list = errorProblems(e);
      if (list.length) setRefused(list as Problem[]);
      else say(`Not saved: ${errorMessage(e)}`, true);
    } finally {
      setSaving(false);
    }
  };
  const importFile = async (file: File | undefined) => {
    if (!file) return;
    const r = readDefinition(await file.text());
    if (!r.ok) return setImportProblems(r.problems);
    apply([{ type: 'replace', doc: { ...toDoc(r.value), id: flowId, revision: doc.revision } }]);
    say(
      r.value.id === flowId
        ? `Imported ${file.name}: save to keep it`
        : `Imported ${file.name} (flow ${r.value.id}) into ${flowId}: save to keep it`,
    );
    setTimeout(() => fitAll(), 50);
  };
  const pick = (p: Problem) => {
    if (!p.node || !locate(doc, p.node)) return;
    select([p.node]);
    // hidden inside a collapsed group: nothing to show (zoomed out, React Flow holds every node hidden: not that)
    const n = canvas.nodes.find((c) => c.id === p.node);
    if (n && !n.hidden) void rf.fitView({ nodes: [{ id: p.node }], includeHiddenNodes: true, duration: 300, maxZoom: 1.2, padding: 0.5 });
  };

  useShortcuts({
    undo: () => !readOnly && dispatch({ type: 'undo' }),
    redo: () => !readOnly && dispatch({ type: 'redo' }),
    copy: () => {
      const c = copy(doc, selectedNodes);
      if (c) {
        setClip(c);
        say(`Copied ${c.nodes.length} node${c.nodes.length === 1 ? '' : 's'}`);
      }
    },
    paste: () => pasteClip(clip),
    duplicate: () => {
      const c = copy(doc, selectedNodes);
      if (c) pasteClip(c, locate(doc, c.nodes[0]!.name)?.parent?.name);
    },
    remove: () => !readOnly && remove(),
    save: () => void save(),
    fitView: () => fitAll(300),
    focusPalette: () => paletteSearch.current?.focus(),
    selectAll: () => select(canvas.nodes.filter((n) => !n.hidden).map((n) => n.id)),
    clearSelection: () => setSelected(new Set()),
  });

  const actions = useMemo(() => ({ apply, readOnly }), [apply, readOnly]);
  return (
    <DesignerContext.Provider value={actions}>
      <Toolbar
        revision={doc.revision}
        dirty={dirty}
        readOnly={readOnly}
        canRun={canRun}
        saving={saving}
        problemCount={problems.length}
        canUndo={history.past.length > 0}
        canRedo={history.future.length > 0}
        onSave={() => void save()}
        onRun={() => setDialog('run')}
        onUndo={() => dispatch({ type: 'undo' })}
        onRedo={() => dispatch({ type: 'redo' })}
        onLayout={() => void layout()}
        onFit={() => fitAll(300)}
        onRevisions={() => setDialog('revisions')}
        onExport={() => download(`${flowId}.r${doc.revision}${dirty ? '-draft' : ''}.json`, exportText(toDefinition(doc)))}
        onImport={() => importInput.current?.click()}
      />
      <input
        ref={importInput}
        type="file"
        accept="application/json,.json"
        hidden
        data-testid="designer-import-file"
        onChange={(e) => {
          void importFile(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
      {diff ? (
        <DiffView flowId={flowId} from={diff.from} to={diff.to} onChange={setDiff} onClose={() => setDiff(null)} categories={categories} />
      ) : (
        <div className="designer-body">
          {!readOnly ? <Palette ref={paletteSearch} atoms={atoms} onAdd={(item) => add(item)} /> : null}
          <div className="designer-center">
            <Canvas
              nodes={canvas.nodes}
              edges={canvas.edges}
              readOnly={readOnly}
              onSelect={setSelected}
              onConnect={onConnect}
              onMoved={onMoved}
              onDropItem={(payload, at) => {
                const item = decodeItem(payload);
                if (item) add(item, at);
              }}
              emptyHint={
                readOnly
                  ? 'This flow has no atoms yet.'
                  : 'Drag atoms from the palette onto the canvas (or press / to search and Enter to add). Connect them by dragging from a right handle to a left handle.'
              }
            />
            <ProblemsPanel problems={problems} checking={checking} onPick={pick} />
          </div>
          <Inspector
            doc={doc}
            atoms={atoms}
            selected={selectedNodes}
            problems={problems}
            apply={apply}
            readOnly={readOnly}
            onRemove={remove}
          />
        </div>
      )}
      {toast ? (
        <div className={`toast${toast.bad ? ' bad' : ''}`} role="status" data-testid="toast">
          {toast.text}
        </div>
      ) : null}
      {refused ? (
        <Modal title="Cannot save: the flow has problems" onClose={() => setRefused(null)}>
          <div className="modal-body" data-testid="save-refused">
            <p>Nothing was saved. Fix these first (click one to show the atom):</p>
            <ul className="problem-list">
              {refused.map((p, i) => (
                <li key={i}>
                  <button
                    className="problem"
                    onClick={() => {
                      setRefused(null);
                      pick(p);
                    }}
                  >
                    {p.node ? <strong>{p.node}</strong> : null} {p.message} <code className="muted">{p.path}</code>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        </Modal>
      ) : null}
      {importProblems ? (
        <Modal title="Cannot import this file" onClose={() => setImportProblems(null)}>
          <div className="modal-body" data-testid="import-error">
            <p>It is not a valid flow definition; the canvas was not changed:</p>
            <ul className="problem-list">
              {importProblems.map((p, i) => (
                <li key={i}>
                  <code>{p.path}</code> {p.message}
                </li>
              ))}
            </ul>
          </div>
        </Modal>
      ) : null}
      {dialog === 'run' ? (
        <RunDialog
          flowId={flowId}
          revision={doc.revision}
          dirty={dirty}
          problems={problems.length}
          inputs={inputs}
          onSave={() => void save()}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog === 'revisions' ? (
        <RevisionsDialog
          flowId={flowId}
          current={doc.revision}
          readOnly={readOnly}
          onClose={() => setDialog(null)}
          onCompare={(from, to) => {
            setDialog(null);
            setDiff({ from, to });
          }}
          onRestore={(def) => {
            setDialog(null);
            apply([{ type: 'replace', doc: { ...toDoc(def), id: flowId, revision: doc.revision } }]);
            say(`Restored revision ${def.revision} as unsaved changes: save to make it the newest revision`);
          }}
        />
      ) : null}
    </DesignerContext.Provider>
  );
}
