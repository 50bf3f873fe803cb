/* udp_api.h - the personal data export (GDPR art. 20) as the official
 * client's DataPortabilityService calls it: POST /api/v2/udp/ (start),
 * GET /api/v2/udp/ (status), GET /api/v2/udp/download/ (the zip), each for
 * the caller only; and the archive's JSON members, which the export worker
 * (domain/data_export.h) has this file render through the API's own
 * handlers, so the archive shows the data exactly as the API does. */
#ifndef HEARTH_API_UDP_API_H
#define HEARTH_API_UDP_API_H

#include "domain/data_export.h"
#include "http/request.h"
#include "http/response.h"

/* POST /api/v2/udp/: 202 with the status when a build was queued, 200 with
 * the current status when one is pending or running, 429 (Retry-After)
 * when the last request is too recent. */
bool udp_api_start(struct request *req, struct response *resp, struct err *e);
/* GET /api/v2/udp/: the status (SCDataPortabilityType plus hearth's keys). */
bool udp_api_status(struct request *req, struct response *resp, struct err *e);
/* GET /api/v2/udp/download/: the caller's ready archive (application/zip,
 * attachment), 404 when there is none or it is not ready. */
bool udp_api_download(struct request *req, struct response *resp, struct err *e);

/* The renderer the export worker is started with (main.c). */
extern const struct data_export_renderer udp_archive_renderer;

#endif
