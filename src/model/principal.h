/* principal.h - who is calling: the record authentication fills and every
 * layer above it reads (http's struct request, the domain's permission
 * rules, the handlers).
 */
#ifndef HEARTH_MODEL_PRINCIPAL_H
#define HEARTH_MODEL_PRINCIPAL_H

#include <stdbool.h>
#include <stdint.h>

#include "model/user_status.h"

/* Who is calling: filled by authentication. user_id 0 = anonymous. */
struct principal {
    int64_t user_id;
    enum user_status status; /* USER_NONE when anonymous */
    const char *role;
    const char *username;
    int64_t token_id; /* the OAuth token row used, 0 for a JWT */
};

static inline bool principal_is_admin(const struct principal *p)
{
    return p->role && !__builtin_strcmp(p->role, "admin");
}

#endif
