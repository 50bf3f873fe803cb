/* routes.c - every endpoint hearth serves: method, path pattern, handler,
 * and flags (authentication, admin, slow/argon2id pool, community mode).
 * Literal segments come before {id} patterns of the same shape, so that
 * /user/me/ is not read as a user id (the router tries routes in order). */
#include "api/routes.h"

#include "api/category_api.h"
#include "api/post_api.h"
#include "api/pref_api.h"
#include "api/sso_api.h"
#include "api/user_api.h"
#include "auth/oauth.h"

const struct route api_routes[] = {
    /* authentication (contract §4) */
    {"POST", "/oauth/token/", oauth_token, ROUTE_SLOW},
    {"POST", "/oauth/revoke_token/", oauth_revoke, ROUTE_PUBLIC},
    {"POST", "/api/v2/jwt/verify_token/", oauth_jwt_verify, ROUTE_PUBLIC},

    /* SSO (contract §5) */
    {"POST", "/api/v2/sso/signup/", sso_api_signup, ROUTE_ADMIN | ROUTE_SLOW},
    {"POST", "/api/v2/sso/signin/", sso_api_signin, ROUTE_AUTH},

    /* preferences (contract §6) */
    {"GET", "/api/v2/dynamic_preference/", pref_api_list, ROUTE_PUBLIC},
    {"PATCH", "/api/v2/dynamic_preference/", pref_api_patch, ROUTE_ADMIN},
    {"GET", "/api/v2/dynamic_preference/{id}/", pref_api_get, ROUTE_PUBLIC},

    /* users: collection and fixed names */
    {"GET", "/api/v2/user/", user_api_list, ROUTE_AUTH},
    {"GET", "/api/v2/user/me/", user_api_me, ROUTE_AUTH},
    {"GET", "/api/v2/user/me/permission/", user_api_me_permission, ROUTE_AUTH},
    {"GET", "/api/v2/user/autocomplete/", user_api_autocomplete, ROUTE_AUTH},

    /* users: one user */
    {"GET", "/api/v2/user/{id}/", user_api_get, ROUTE_PUBLIC},

    /* account (issue 3) */

    /* graph (issue 4) */

    /* tags and search (issue 6) */

    /* categories, posts and feed (issue 5) */
    {"GET", "/api/v2/category/", category_api_list, ROUTE_ADMIN},
    {"POST", "/api/v2/category/", category_api_create, ROUTE_ADMIN},
    {"GET", "/api/v2/category/{id}/", category_api_get, ROUTE_ADMIN},
    {"PUT", "/api/v2/category/{id}/", category_api_update, ROUTE_ADMIN},
    {"PATCH", "/api/v2/category/{id}/", category_api_update, ROUTE_ADMIN},
    {"DELETE", "/api/v2/category/{id}/", category_api_delete, ROUTE_ADMIN},
    {"POST", "/api/v2/category/{id}/follow/", category_api_follow, ROUTE_AUTH},
    {"GET", "/api/v2/category/{id}/is_followed/", category_api_is_followed, ROUTE_AUTH},
    {"GET", "/api/v2/user/{id}/categories/", category_api_user_list, ROUTE_PUBLIC},
    {"POST", "/api/v2/post/", post_api_create_post, ROUTE_AUTH},
    {"GET", "/api/v2/post/{id}/", post_api_get_post, ROUTE_CONTENT},
    {"DELETE", "/api/v2/post/{id}/", post_api_delete_post, ROUTE_AUTH},
    {"POST", "/api/v2/discussion/", post_api_create_discussion, ROUTE_AUTH},
    {"GET", "/api/v2/discussion/{id}/", post_api_get_discussion, ROUTE_CONTENT},
    {"DELETE", "/api/v2/discussion/{id}/", post_api_delete_discussion, ROUTE_AUTH},
    {"GET", "/api/v2/user/{id}/feed/", post_api_user_feed, ROUTE_CONTENT},
};

const size_t api_routes_count = sizeof api_routes / sizeof api_routes[0];
