// Entry point of a data-parallel replica thread (bundled as dist/replica.js).
import { runReplica } from './replica';

runReplica();
