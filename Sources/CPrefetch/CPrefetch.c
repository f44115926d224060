// The header's inline functions are the whole of this module; SwiftPM needs one source file.
#include "CPrefetch.h"
