/*
 * addr.c - addresses as text, for reports and logs.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "dissect/dissect.h"

char *ip_addr_format(const struct ip_addr *a, char *buf, size_t len)
{
	int af = a->family == AF_INET6 ? AF_INET6 : AF_INET;
	/* inet_ntop never needs more than INET6_ADDRSTRLEN. */
	socklen_t size = len > INET6_ADDRSTRLEN ? INET6_ADDRSTRLEN : (socklen_t)len;

	if (len == 0)
		return buf;
	/* An unset address (family 0) prints as 0.0.0.0 rather than failing:
	 * callers put the result straight into a report. */
	if (!inet_ntop(af, a->bytes, buf, size))
		buf[0] = '\0';
	return buf;
}

char *ip_endpoint_format(const struct ip_addr *a, uint16_t port, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	ip_addr_format(a, ip, sizeof(ip));
	if (!port)
		snprintf(buf, len, "%s", ip);
	else
		snprintf(buf, len, a->family == AF_INET6 ? "[%s]:%u" : "%s:%u", ip, (unsigned)port);
	return buf;
}
