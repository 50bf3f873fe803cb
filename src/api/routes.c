/* routes.c - every endpoint hearth serves: method, path pattern, handler,
 * and flags (authentication, admin, slow/argon2id pool, community mode).
 * Literal segments come before {id} patterns of the same shape, so that
 * /user/me/ is not read as a user id (the router tries routes in order). */
#include "api/routes.h"

#include "api/account_api.h"
#include "api/avatar_api.h"
#include "api/account_service_api.h"
#include "api/category_api.h"
#include "api/feature_api.h"
#include "api/media_api.h"
#include "api/graph_api.h"
#include "api/health_api.h"
#include "api/post_api.h"
#include "api/pref_api.h"
#include "api/provider_api.h"
#include "api/search_api.h"
#include "api/sso_api.h"
#include "api/suggestion_api.h"
#include "api/tag_api.h"
#include "api/udp_api.h"
#include "api/user_api.h"
#include "api/user_service_api.h"
#include "auth/oauth.h"

const struct route api_routes[] = {
    /* authentication (contract §4) */
    {"POST", "/oauth/token/", oauth_token, ROUTE_SLOW | ROUTE_NO_AUTH},
    {"POST", "/oauth/revoke_token/", oauth_revoke, ROUTE_NO_AUTH},
    {"POST", "/api/v2/jwt/verify_token/", oauth_jwt_verify, ROUTE_NO_AUTH},

    /* SSO (contract §5) */
    {"POST", "/api/v2/sso/signup/", sso_api_signup, ROUTE_ADMIN | ROUTE_SLOW},
    {"POST", "/api/v2/sso/signin/", sso_api_signin, ROUTE_AUTH},

    /* accounts without an operator: sign-up, verification, recovery */
    {"POST", "/api/v2/account/create/", account_service_create, ROUTE_SLOW},
    {"POST", "/api/v2/account/verify/", account_service_verify, ROUTE_PUBLIC},
    {"POST", "/api/v2/account/verify/validation_code/", account_service_verify_code, ROUTE_PUBLIC},
    {"POST", "/api/v2/account/recover/", account_service_recover, ROUTE_PUBLIC},
    {"POST", "/api/v2/account/reset/", account_service_reset, ROUTE_SLOW},
    {"GET", "/api/v2/account/search/", account_service_search, ROUTE_ADMIN},

    /* preferences (contract §6) */
    {"GET", "/api/v2/dynamic_preference/", pref_api_list, ROUTE_PUBLIC},
    {"PATCH", "/api/v2/dynamic_preference/", pref_api_patch, ROUTE_ADMIN},
    {"GET", "/api/v2/dynamic_preference/{id}/", pref_api_get, ROUTE_PUBLIC},

    /* features (all disabled: what SelfCommunity's UI kit reads at start) */
    {"GET", "/api/v2/feature/", feature_api_list, ROUTE_PUBLIC},

    /* users: collection and fixed names */
    {"GET", "/api/v2/user/", user_api_list, ROUTE_AUTH},
    {"GET", "/api/v2/user/me/", user_api_me, ROUTE_AUTH},
    {"GET", "/api/v2/user/me/permission/", user_api_me_permission, ROUTE_AUTH},
    {"GET", "/api/v2/user/autocomplete/", user_api_autocomplete, ROUTE_AUTH},
    {"GET", "/api/v2/user/me/avatar/", avatar_api_me, ROUTE_AUTH},
    {"GET", "/api/v2/user/avatar/", avatar_api_list, ROUTE_AUTH},
    {"POST", "/api/v2/user/avatar/", avatar_api_add, ROUTE_AUTH | ROUTE_UPLOADS},
    {"PATCH", "/api/v2/user/avatar/", avatar_api_set_primary, ROUTE_AUTH},
    {"DELETE", "/api/v2/user/avatar/", avatar_api_remove, ROUTE_AUTH},
    {"GET", "/api/v2/avatar/{id}", avatar_api_default_image, ROUTE_PUBLIC},

    /* users: one user */
    {"GET", "/api/v2/user/{id}/", user_api_get, ROUTE_PUBLIC},

    /* account lifecycle */
    {"PUT", "/api/v2/user/{id}/", account_api_update, ROUTE_AUTH | ROUTE_OWNER | ROUTE_UPLOADS},
    {"PATCH", "/api/v2/user/{id}/", account_api_update, ROUTE_AUTH | ROUTE_OWNER | ROUTE_UPLOADS},
    {"DELETE", "/api/v2/user/{id}/", account_api_delete, ROUTE_AUTH | ROUTE_SLOW}, /* a hard delete takes seconds */
    {"PATCH", "/api/v2/user/{id}/change_email/", account_api_change_email, ROUTE_AUTH},
    {"POST", "/api/v2/user/{id}/confirm_email/", account_api_confirm_email, ROUTE_PUBLIC},
    {"PATCH", "/api/v2/user/{id}/change_password/", account_api_change_password, ROUTE_AUTH | ROUTE_SLOW},
    {"GET", "/api/v2/user/{id}/settings/", account_api_settings_get, ROUTE_AUTH},
    {"POST", "/api/v2/user/{id}/settings/", account_api_settings_update, ROUTE_AUTH},
    {"PATCH", "/api/v2/user/{id}/settings/", account_api_settings_update, ROUTE_AUTH},
    {"GET", "/media/{name}", media_api_get, ROUTE_PUBLIC},

    /* social graph: literal paths first, then /user/{id}/... */
    {"GET", "/api/v2/user/hidden_users/", graph_api_hidden_users, ROUTE_AUTH},
    {"GET", "/api/v2/user/hidden_users_id/", graph_api_hidden_users_id, ROUTE_AUTH},
    {"GET", "/api/v2/user/connection/requests/", graph_api_my_requests, ROUTE_AUTH | ROUTE_FRIEND_MODE},
    {"GET", "/api/v2/user/connection/requests_sent/", graph_api_my_requests_sent, ROUTE_AUTH | ROUTE_FRIEND_MODE},
    {"POST", "/api/v2/user/connection/statuses/", graph_api_statuses, ROUTE_AUTH},
    {"GET", "/api/v2/user/{id}/followers/", graph_api_followers, ROUTE_CONTENT},
    {"GET", "/api/v2/user/{id}/followings/", graph_api_followings, ROUTE_CONTENT},
    {"POST", "/api/v2/user/{id}/follow/", graph_api_follow, ROUTE_AUTH | ROUTE_FOLLOW_MODE},
    {"GET", "/api/v2/user/{id}/is_followed/", graph_api_is_followed, ROUTE_AUTH | ROUTE_FOLLOW_MODE},
    {"GET", "/api/v2/user/{id}/is_follower/", graph_api_is_follower, ROUTE_AUTH | ROUTE_FOLLOW_MODE},
    {"GET", "/api/v2/user/{id}/connections/", graph_api_connections, ROUTE_CONTENT | ROUTE_FRIEND_MODE},
    {"GET", "/api/v2/user/{id}/is_connection/", graph_api_is_connection, ROUTE_AUTH},
    {"GET", "/api/v2/user/{id}/connection_status/", graph_api_connection_status, ROUTE_AUTH},
    {"GET", "/api/v2/user/{id}/connection/requests/", graph_api_requests, ROUTE_AUTH | ROUTE_FRIEND_MODE},
    {"GET", "/api/v2/user/{id}/connection/requests_sent/", graph_api_requests_sent, ROUTE_AUTH | ROUTE_FRIEND_MODE},
    {"POST", "/api/v2/user/{id}/connection/request/", graph_api_connection_request, ROUTE_AUTH | ROUTE_FRIEND_MODE},
    {"POST", "/api/v2/user/{id}/connection/accept/", graph_api_connection_accept, ROUTE_AUTH | ROUTE_FRIEND_MODE},
    {"POST", "/api/v2/user/{id}/connection/reject/", graph_api_connection_reject, ROUTE_AUTH | ROUTE_FRIEND_MODE},
    {"POST", "/api/v2/user/{id}/connection/cancel_reject/", graph_api_connection_cancel_reject,
     ROUTE_AUTH | ROUTE_FRIEND_MODE},
    {"POST", "/api/v2/user/{id}/connection/cancel_request/", graph_api_connection_cancel_request,
     ROUTE_AUTH | ROUTE_FRIEND_MODE},
    {"POST", "/api/v2/user/{id}/connection/remove/", graph_api_connection_remove, ROUTE_AUTH | ROUTE_FRIEND_MODE},
    {"POST", "/api/v2/user/{id}/connection_requests/mark_seen/", graph_api_mark_seen, ROUTE_AUTH | ROUTE_FRIEND_MODE},
    {"POST", "/api/v2/user/{id}/hide/", graph_api_hide, ROUTE_AUTH},
    {"GET", "/api/v2/user/{id}/is_hidden/", graph_api_is_hidden, ROUTE_AUTH},
    {"GET", "/api/v2/user/{id}/is_hidden_by/", graph_api_is_hidden_by, ROUTE_AUTH},
    {"GET", "/api/v2/user/{id}/counters/", graph_api_counters, ROUTE_CONTENT},

    /* the rest of the official client's UserService (docs/api.md) */
    {"GET", "/api/v2/user/me/platform_url/", user_service_api_platform_url, ROUTE_AUTH},
    {"GET", "/api/v2/user/tag/tags_to_address_a_contribution/", user_service_api_addressing_tags, ROUTE_AUTH},
    {"GET", "/api/v2/user/{id}/check_email_token/", user_service_api_check_email_token, ROUTE_AUTH},
    {"GET", "/api/v2/user/{id}/provider/", provider_api_list, ROUTE_AUTH},
    {"POST", "/api/v2/user/{id}/provider/", provider_api_create, ROUTE_AUTH},
    {"DELETE", "/api/v2/user/{id}/provider/", provider_api_delete, ROUTE_AUTH},
    {"GET", "/api/v2/user/{id}/loyalty/points/", user_service_api_loyalty_points, ROUTE_AUTH},
    {"GET", "/api/v2/user/{id}/live_stream/", user_service_api_live_streams, ROUTE_CONTENT},
    {"GET", "/api/v2/user/{id}/order/", user_service_api_orders, ROUTE_AUTH},
    {"GET", "/api/v2/user/{id}/order/{name}/", user_service_api_order, ROUTE_AUTH},

    /* tags and search */
    {"GET", "/api/v2/user/search/", search_api_users, ROUTE_AUTH},
    {"GET", "/api/v2/user/{id}/tags/", tag_api_user_tags, ROUTE_AUTH},
    {"GET", "/api/v2/tag/", tag_api_list, ROUTE_ADMIN},
    {"GET", "/api/v2/tag/user/search/", tag_api_search_user_tags, ROUTE_AUTH},
    {"POST", "/api/v2/tag/", tag_api_create, ROUTE_ADMIN},
    {"GET", "/api/v2/tag/{id}/", tag_api_get, ROUTE_ADMIN},
    {"PUT", "/api/v2/tag/{id}/", tag_api_update, ROUTE_ADMIN},
    {"PATCH", "/api/v2/tag/{id}/", tag_api_patch, ROUTE_ADMIN},
    {"POST", "/api/v2/tag/{id}/assign/", tag_api_assign, ROUTE_ADMIN},
    {"POST", "/api/v2/tag/{id}/add/", tag_api_assign, ROUTE_ADMIN},
    {"POST", "/api/v2/tag/{id}/remove/", tag_api_remove, ROUTE_ADMIN},

    /* suggestions (the official client's SuggestionService) and matching usernames */
    {"GET", "/api/v2/suggestion/", suggestion_api_search, ROUTE_AUTH},
    {"GET", "/api/v2/suggestion/user/", suggestion_api_users, ROUTE_AUTH},
    {"GET", "/api/v2/suggestion/category/", suggestion_api_categories, ROUTE_AUTH},
    {"POST", "/api/v2/user/match/", suggestion_api_match, ROUTE_AUTH},

    /* categories, posts and feed */
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

    /* personal data export (GDPR art. 20): the caller's own, no id */
    {"POST", "/api/v2/udp/", udp_api_start, ROUTE_AUTH},
    {"GET", "/api/v2/udp/", udp_api_status, ROUTE_AUTH},
    {"GET", "/api/v2/udp/download/", udp_api_download, ROUTE_AUTH},

    /* for load balancers: whether this server and its database answer */
    {"GET", "/health", health_api_get, ROUTE_PUBLIC | ROUTE_NO_AUTH},
};

const size_t api_routes_count = sizeof api_routes / sizeof api_routes[0];
