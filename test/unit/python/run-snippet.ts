// Runs a Python snippet in the interpreter with the standard library and torch loaded, and
// returns its globals: the harness of the interpreter's unit tests. `files` are the workspace under /ws.
import { analyzeSource } from '../../../engine/analyze';
import { Interpreter } from '../../../engine/python/interpreter';
import { installBuiltins } from '../../../engine/python/builtins';
import { stdlibModules } from '../../../engine/python/stdlib';
import { workspaceFiles } from '../../../engine/python/files';
import { ModuleLoader } from '../../../engine/python/imports';
import { parsePython } from '../../../engine/python/parse';
import { repr, type Value } from '../../../engine/python/values';

export function runSnippet(src: string, files: Record<string, string> = {}): Map<string, Value> {
  const interp = new Interpreter(200_000);
  const classes = installBuiltins(interp);
  const host = { readFile: (p: string) => files[p] };
  const std = stdlibModules(interp, classes, workspaceFiles(host, ['/ws']));
  interp.importer = new ModuleLoader(interp, host, ['/ws'], (n) => std.get(n));
  const globals = new Map<string, Value>();
  interp.runModule(parsePython(src).body, { name: '__main__', file: '/ws/main.py', pkg: '' }, globals);
  return globals;
}

/** The Python repr of a global, for compact assertions. */
export function reprOf(globals: Map<string, Value>, name: string): string {
  const v = globals.get(name);
  return v === undefined ? '<undefined>' : repr(v);
}

export { analyzeSource };
