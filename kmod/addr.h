/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_ADDR_H
#define _KIPSEC_ADDR_H

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/inetdevice.h>
#include <linux/socket.h>
#include <net/ipv6.h>

/*
 * An IPv4 or IPv6 address in network byte order.  IPv4 uses the first
 * word and leaves the rest zero, so a whole union can be hashed and
 * compared with memcmp whatever the family.
 */
union kipsec_addr {
	__be32 a4;
	struct in6_addr a6;
};

static inline unsigned int kipsec_addr_len(u16 family)
{
	return family == AF_INET ? sizeof(__be32) : sizeof(struct in6_addr);
}

static inline unsigned int kipsec_addr_bits(u16 family)
{
	return kipsec_addr_len(family) * BITS_PER_BYTE;
}

/* Family of a wire address by its length; 0 for any other length. */
static inline u16 kipsec_addr_family(unsigned int len)
{
	if (len == sizeof(__be32))
		return AF_INET;
	if (len == sizeof(struct in6_addr))
		return AF_INET6;
	return 0;
}

static inline void kipsec_addr_set(union kipsec_addr *a, u16 family,
				   const void *src)
{
	memset(a, 0, sizeof(*a));
	memcpy(a, src, kipsec_addr_len(family));
}

static inline bool kipsec_addr_equal(const union kipsec_addr *a,
				     const union kipsec_addr *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* Do @a and @b agree in their first @plen bits? */
static inline bool kipsec_addr_prefix_match(const union kipsec_addr *a,
					    const union kipsec_addr *b,
					    u8 plen, u16 family)
{
	if (family == AF_INET)
		return !((a->a4 ^ b->a4) & inet_make_mask(plen));
	return ipv6_prefix_equal(&a->a6, &b->a6, plen);
}

/* Are all bits of @a beyond the first @plen zero? */
static inline bool kipsec_addr_host_bits_clear(const union kipsec_addr *a,
					       u8 plen, u16 family)
{
	struct in6_addr masked;

	if (family == AF_INET)
		return !(a->a4 & ~inet_make_mask(plen));
	ipv6_addr_prefix(&masked, &a->a6, plen);
	return ipv6_addr_equal(&masked, &a->a6);
}

#endif /* _KIPSEC_ADDR_H */
