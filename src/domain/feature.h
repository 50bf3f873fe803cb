/* feature.h - the SelfCommunity features a community may have
 * (SCFeatureName of @selfcommunity/types). hearth implements none of them
 * as SelfCommunity does: every one is listed as disabled, which is what
 * SelfCommunity's UI kit needs to start (several, such as reaction,
 * tagging, grouping, event, course, payments or live_stream, would make it
 * call endpoints hearth does not serve).
 *
 * The list is static and immutable (thread-safe). Ids are the positions in
 * the list, from 1: stable, since new names are only ever appended.
 */
#ifndef HEARTH_DOMAIN_FEATURE_H
#define HEARTH_DOMAIN_FEATURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    FEATURE_NAME_MAX = 64, /* bytes of a name; longer ones name no feature */
};

struct feature {
    int64_t id;
    const char *name;
    bool enabled;
};

/* The number of features and the i-th one (0 <= i < feature_count()). */
size_t feature_count(void);
const struct feature *feature_at(size_t i);

/* The feature named exactly `name`, or NULL. */
const struct feature *feature_find(const char *name);

#endif
