// Shell functions for the holders of a bucket's FUSE mount (sh/holderFunctions.sh): holders of other
// stacks or components that ask for other options are told, naming the holder, each option and both
// values, never silently overruled (one FUSE mount has one set of options).
import { shellFunctions } from "./scriptFiles";

export const HOLDER_FUNCTIONS = shellFunctions("holderFunctions.sh");
