// Each web suite's worker: the e2e environment (its own test database and queue prefix), plus the
// web app built by the global setup.
import '../setup-env';
import { webDistDir } from '../test-database';

process.env.WEB_DIST_DIR = webDistDir();
