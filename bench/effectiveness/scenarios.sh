# shellcheck shell=bash
# scenarios.sh: sourced by matrix.sh and recorder-cost.sh.
# scenario_args SCENARIO: run-one.sh's arguments for a scenario (the list is in
# matrix.sh's opening comment); KERNEL_61, KERNEL_612 pin the kernel packages.
scenario_args() {
	case $1 in
	6.1-thp-never) echo "--kernel ${KERNEL_61:-auto-6.1} --thp never" ;;
	6.12-thp-never) echo "--kernel ${KERNEL_612:-auto-6.12} --thp never" ;;
	6.1-thp-always) echo "--kernel ${KERNEL_61:-auto-6.1} --thp always" ;;
	6.1-zram) echo "--kernel ${KERNEL_61:-auto-6.1} --thp never --zram 512M" ;;
	*) echo "scenarios.sh: unknown scenario $1" >&2; return 1 ;;
	esac
}
