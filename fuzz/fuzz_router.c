/* fuzz_router.c - libFuzzer target: arbitrary paths (and a method picked by
 * the first byte) against the real route table. Checks that a match always
 * carries a positive id or a safe name when the pattern has one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/routes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"};
    if (size < 1)
        return 0;
    const char *method = methods[data[0] % 6];
    char *path = malloc(size);
    memcpy(path, data + 1, size - 1);
    path[size - 1] = '\0';
    struct route_match m;
    router_match(api_routes, api_routes_count, method, path, &m);
    if (m.route && strstr(m.route->pattern, "{id}") && m.id <= 0)
        abort();
    if (m.route && strstr(m.route->pattern, "{name}") && (!m.name[0] || strchr(m.name, '/') || m.name[0] == '.'))
        abort();
    free(path);
    return 0;
}
