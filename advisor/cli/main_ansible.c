/* reclaim_advisor: the Ansible binary module, built from the same library
 * as the CLI (`make ansible` installs it as
 * contrib/ansible/library/reclaim_advisor; arguments and result are
 * documented in its sidecar, contrib/ansible/library/reclaim_advisor.yml).
 *
 * The adapter: ansible_module_run (ansible/ansible.h) runs the module and
 * returns its one JSON object; this prints it and exits with its code. */
#include "version.h"

#include "../ansible/ansible.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	struct buf b = {0};
	int code = ansible_module_run(argc, argv, ADVISOR_VERSION, &b);
	puts(buf_str(&b));
	fflush(stdout);
	buf_free(&b);
	return code;
}
