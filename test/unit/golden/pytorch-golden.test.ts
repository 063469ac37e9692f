// The fixture models of test/fixtures/pytorch against real PyTorch, every field.
import { join } from 'node:path';

import { goldenSuite } from './fixture-suite';
import { FIXTURES } from './golden';

goldenSuite(join(FIXTURES, 'pytorch'));
