#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The core library (plain data, the model, settings, the range check, the recording
# format) makes no system call: every function its objects call that it does not
# define itself is one of the pure C library functions below, or zstd's in-memory
# compression.  settings.o (the flags, --help) and settingsrc.o (porttoprc) alone may
# also print, and read and write porttoprc.
# A model change that reaches for a socket, /proc or curses fails here, before review.
# Control: the kernel library, which does touch the system, must fail the same rule,
# so a broken nm or an empty archive cannot pass.
set -u
core=${CORE_LIB:?} kernel=${KERNEL_LIB:?}
command -v nm >/dev/null || { echo "core-symbols: needs nm (binutils)"; exit 77; }

pure='__ctype_b_loc __errno_location calloc free inet_ntop malloc memchr memcmp memcpy memmove
memset qsort qsort_r realloc snprintf strcasecmp strchr strcmp strcoll strdup strlen
strncmp strnlen strrchr strstr strtod strtol strtoul strtoull vsnprintf memchr llround
__stack_chk_fail __assert_fail
exp ceil floor fabs log sqrt pow
ZSTD_compress ZSTD_compressBound ZSTD_decompress ZSTD_getFrameContentSize ZSTD_isError'
rcfile='fopen fclose fgets fputs fwrite ferror fprintf vfprintf printf stderr stdout
getenv mkdir rename remove getopt_long optarg optind opterr strtok_r dcgettext dcngettext'

# foreign ARCHIVE ALLOWED...: "object symbol" for each call outside ARCHIVE and ALLOWED
foreign() {
	archive=$1
	shift
	allowed=$(printf '%s\n' "$@" | tr ' ' '\n' | sed '/^$/d')
	defined=$(nm -A --defined-only "$archive" | awk 'NF == 3 && $2 ~ /[TDBRC]/ { print $3 }')
	nm -A -u "$archive" | awk '{ n = split($1, p, ":"); print p[n - 1], $NF }' |
		while read -r obj sym; do
			case $sym in __asan_*|__ubsan_*|__sanitizer_*) continue ;; esac
			printf '%s\n' "$defined" "$allowed" | grep -qx "$sym" && continue
			case $obj in settings.o | settingsrc.o)
				printf '%s\n' $rcfile | grep -qx "$sym" && continue ;;
			esac
			echo "$obj $sym"
		done
}

bad=$(foreign "$core" $pure)
if [ -n "$bad" ]; then
	echo "core-symbols: the core library calls what only the kernel, output or view layers may:"
	echo "$bad"
	exit 1
fi
control=$(foreign "$kernel" $pure)
case $control in
*" readdir"*|*" mnl_socket_open2"*) ;;
*) echo "core-symbols: control failed: the kernel library shows no readdir or mnl_socket_open2 call"
   exit 1 ;;
esac
echo "core-symbols: $(nm -A --defined-only "$core" | grep -c ' T ') core functions, no system calls"
