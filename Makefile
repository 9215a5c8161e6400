# SPDX-License-Identifier: GPL-2.0
#
# kipsec: `make` builds the module (against KDIR) and ipsecctl;
# `make install`, `make clean`; `make check` runs every test (it installs
# what it needs and boots kernels under QEMU); `make demo` shows two hosts
# talking through kipsec; `make bench` compares kipsec's throughput with
# XFRM's (not part of `make check`).

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
# The release modules_install installs for (Debian's headers report the
# package version as kernelrelease, not the ABI name).
KRELEASE = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
DESTDIR ?=

.PHONY: all module tool install clean check demo bench

all: module tool

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tool:
	$(MAKE) -C tools/ipsecctl

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) modules_install
	depmod -a $(if $(DESTDIR),-b $(DESTDIR)) $(KRELEASE)
	$(MAKE) -C tools/ipsecctl install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

clean:
	find . \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name 'modules.order' -o -name '*.a' \) \
		-not -path './.git/*' -delete
	rm -f Module.symvers
	$(MAKE) -C tools/ipsecctl clean
	rm -rf build

check:
	tests/check.sh

demo:
	tests/demo.sh

bench:
	tests/bench.sh
