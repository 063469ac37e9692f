// Notebooks whose model is split across cells (test/fixtures/notebooks) against real PyTorch run on
// the joined cells, every field.
import { join } from 'node:path';

import { goldenSuite } from './fixture-suite';
import { FIXTURES } from './golden';

goldenSuite(join(FIXTURES, 'notebooks'));
