# SPDX-License-Identifier: GPL-2.0
#
# kipsec: `make` builds the module (against KDIR) and ipsecctl;
# `make install` installs the module, ipsecctl, the man pages, the bash
# completion, kipsec.service and a sample /etc/kipsec/kipsec.conf (only if
# there is none); `make dkms-install` hands the module to DKMS instead, so
# it is rebuilt for every new kernel (`make dkms-remove` undoes it);
# `make clean`; `make check` runs every test (it installs what it needs and
# boots kernels under QEMU); `make demo` shows two hosts talking through
# kipsec; `make bench` compares kipsec's throughput with XFRM's (not part
# of `make check`).
#
# Install directories (DESTDIR is prepended to all of them): PREFIX
# (/usr/local), SBINDIR, MANDIR, BASHCOMPDIR, SYSCONFDIR (/etc),
# SYSTEMDUNITDIR (/lib/systemd/system), DKMSSRCDIR (/usr/src).

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
# The release modules_install installs for (Debian's headers report the
# package version as kernelrelease, not the ABI name).
KRELEASE = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SYSCONFDIR ?= /etc
SYSTEMDUNITDIR ?= /lib/systemd/system
DKMSSRCDIR ?= /usr/src
DKMS ?= dkms
INSTALL ?= install
# kmod/version.h is the one place the version is written (dkms.conf's
# PACKAGE_VERSION must agree; tests/install.sh checks it).
VERSION := $(shell sed -n 's/.*KIPSEC_VERSION "\(.*\)"/\1/p' kmod/version.h)
DKMS_SRC = $(DESTDIR)$(DKMSSRCDIR)/kipsec-$(VERSION)
# `dkms install` builds for the running kernel unless told otherwise.
DKMS_KFLAG = $(if $(DKMS_KERNEL),-k $(DKMS_KERNEL))

.PHONY: all module tool install install-module install-files clean check \
	demo bench dkms-source dkms-install dkms-remove

all: module tool

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tool:
	$(MAKE) -C tools/ipsecctl

install: install-module install-files

install-module: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) modules_install
	depmod -a $(if $(DESTDIR),-b $(DESTDIR)) $(KRELEASE)

# Everything but the module: what a DKMS install needs besides DKMS.
# The unit names ipsecctl by its installed path; an existing
# kipsec.conf is the administrator's and is never overwritten.
install-files: tool
	$(MAKE) -C tools/ipsecctl install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) \
		SBINDIR=$(SBINDIR)
	$(INSTALL) -D -m 0644 Documentation/man/ipsecctl.8 \
		$(DESTDIR)$(MANDIR)/man8/ipsecctl.8
	$(INSTALL) -D -m 0644 Documentation/man/kipsec.conf.5 \
		$(DESTDIR)$(MANDIR)/man5/kipsec.conf.5
	$(INSTALL) -D -m 0644 packaging/ipsecctl.bash-completion \
		$(DESTDIR)$(BASHCOMPDIR)/ipsecctl
	$(INSTALL) -d $(DESTDIR)$(SYSTEMDUNITDIR)
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		packaging/kipsec.service.in \
		>$(DESTDIR)$(SYSTEMDUNITDIR)/kipsec.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/kipsec.service
	$(INSTALL) -d -m 0700 $(DESTDIR)$(SYSCONFDIR)/kipsec
	[ -e $(DESTDIR)$(SYSCONFDIR)/kipsec/kipsec.conf ] || \
		$(INSTALL) -m 0600 packaging/kipsec.conf.example \
			$(DESTDIR)$(SYSCONFDIR)/kipsec/kipsec.conf

# The module's sources only (no build products), as DKMS wants them.
dkms-source:
	rm -rf $(DKMS_SRC)
	for f in dkms.conf Kbuild $$(find kmod uapi -type f \
			\( -name '*.[ch]' -o -name Kbuild \) | sort); do \
		$(INSTALL) -D -m 0644 $$f $(DKMS_SRC)/$$f || exit 1; \
	done

# Needs root and no DESTDIR (DKMS keeps its own state).  Installing the
# same version again replaces its DKMS registration.
dkms-install: install-files
	if $(DKMS) status -m kipsec -v $(VERSION) | grep -q .; then \
		$(DKMS) remove -m kipsec -v $(VERSION) --all || exit 1; \
	fi
	$(MAKE) dkms-source
	$(DKMS) add -m kipsec -v $(VERSION)
	$(DKMS) install -m kipsec -v $(VERSION) $(DKMS_KFLAG)

dkms-remove:
	-$(DKMS) remove -m kipsec -v $(VERSION) --all
	rm -rf $(DKMS_SRC)

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
