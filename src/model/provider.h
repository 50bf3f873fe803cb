/* provider.h - a user's account at an external sign-in provider (the
 * official client's provider association), shared by domain/provider.h and
 * the store. The rules on the fields are in domain/provider.h.
 */
#ifndef HEARTH_MODEL_PROVIDER_H
#define HEARTH_MODEL_PROVIDER_H

#include <stdbool.h>
#include <stdint.h>

struct provider_assoc {
    int64_t user_id;
    const char *provider;    /* one of provider_names (domain/provider.h) */
    const char *ext_id;      /* the account's id at the provider */
    const char *profile_url; /* NULL when none */
    bool show_in_profile;
    const char *metadata; /* a JSON object, as text */
};

#endif
