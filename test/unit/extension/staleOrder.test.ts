// When every report goes stale, the documents the user sees are analysed first, the other tabs after them,
// and a document in no tab (its editor closed) not at all: the editor benchmark's timm file waited ~4 s for
// four such documents, closed and deleted, to be analysed first in the new worker.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { staleOrder } from '../../../extension/staleOrder';

test('visible documents first, then the other tabs in their order; documents in no tab are forgotten', () => {
  const order = staleOrder([
    { doc: 'closed.py', visible: false, tabbed: false },
    { doc: 'tab.py', visible: false, tabbed: true },
    { doc: 'shown.py', visible: true, tabbed: true },
    { doc: 'tab2.py', visible: false, tabbed: true },
    { doc: 'cell-of-a-shown-notebook', visible: true, tabbed: false },
  ]);
  assert.deepEqual(order.analyse, ['shown.py', 'cell-of-a-shown-notebook', 'tab.py', 'tab2.py']);
  assert.deepEqual(order.forget, ['closed.py']);
});

test('nothing open: nothing to do', () => {
  assert.deepEqual(staleOrder([]), { analyse: [], forget: [] });
});
