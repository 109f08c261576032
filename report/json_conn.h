/*
 * json_conn.h - report/ internals: a connection as a JSON object.
 */
#ifndef TCPAUTOPSY_REPORT_JSON_CONN_H
#define TCPAUTOPSY_REPORT_JSON_CONN_H

#include <cjson/cJSON.h>

#include "analyzer/conn.h"

/* The connection as both JSON outputs show it; NULL when out of memory. */
cJSON *json_connection(const struct tcp_conn *c);

#endif
