// An interpreter asked to stop (`interruptWhen`: the analysis worker's full import for a snapshot when the
// worker is to exit) throws Interrupted at its next checkpoint and at every one after, so that code which
// swallows an error cannot carry on for long, and says it was interrupted.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Interpreter } from '../../../engine/python/interpreter';
import { BudgetExceeded, Interrupted } from '../../../engine/python/values';

test('an interpreter asked to stop throws Interrupted from then on, and the step budget still holds', () => {
  const interp = new Interpreter(1_000_000);
  let stop = false;
  interp.interruptWhen(() => stop);
  for (let i = 0; i < 50_000; i++) interp.tick();
  assert.equal(interp.interrupted, false);
  stop = true;
  assert.throws(() => { for (let i = 0; i < 50_000; i++) interp.tick(); }, Interrupted);
  assert.equal(interp.interrupted, true);
  stop = false;
  // sticky: a swallowed Interrupted comes back at the next checkpoint
  assert.throws(() => { for (let i = 0; i < 50_000; i++) interp.tick(); }, Interrupted);
  const budget = new Interpreter(10_000);
  budget.interruptWhen(() => false);
  assert.throws(() => { for (let i = 0; i < 20_000; i++) budget.tick(); }, BudgetExceeded);
});
