#include "commands.h"
#include "exitcodes.h"

#include <stdio.h>

int cmd_recommend(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "reclaim-advisor: %s: not implemented yet\n", argv[0]);
	return EXIT_FAIL;
}
