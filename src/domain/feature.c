/* feature.c - the list of SelfCommunity features, all disabled. */
#include "domain/feature.h"

#include <string.h>

/* SCFeatureName of @selfcommunity/types (0.8), in its order. Append new
 * names at the end: a feature's id is its position. */
static const struct feature features[] = {
    {1, "interests", false},
    {2, "customize", false},
    {3, "addons", false},
    {4, "domain", false},
    {5, "social_providers", false},
    {6, "community_subscription", false},
    {7, "seo", false},
    {8, "advertising", false},
    {9, "google_cloud_api", false},
    {10, "hotjar", false},
    {11, "sqreen", false},
    {12, "incubators", false},
    {13, "cms", false},
    {14, "legal_pages", false},
    {15, "scoring", false},
    {16, "user_roles", false},
    {17, "email_manager", false},
    {18, "loyalty", false},
    {19, "broadcast", false},
    {20, "invitation", false},
    {21, "app_settings", false},
    {22, "moderation_flags", false},
    {23, "moderation_contents", false},
    {24, "moderation_users_blocked", false},
    {25, "moderation_users", false},
    {26, "data_provisioning_dashboard", false},
    {27, "data_provisioning_users", false},
    {28, "data_provisioning_contents", false},
    {29, "data_provisioning_interests", false},
    {30, "data_provisioning_polls", false},
    {31, "data_provisioning_reports", false},
    {32, "registration_alerts", false},
    {33, "social_share", false},
    {34, "stream_settings", false},
    {35, "tagging", false},
    {36, "api_v2", false},
    {37, "webhook", false},
    {38, "headless", false},
    {39, "customize_headless", false},
    {40, "system_pages", false},
    {41, "reaction", false},
    {42, "grouping", false},
    {43, "event", false},
    {44, "live_stream", false},
    {45, "payments", false},
    {46, "course", false},
};

size_t feature_count(void) { return sizeof features / sizeof features[0]; }

const struct feature *feature_at(size_t i) { return i < feature_count() ? &features[i] : NULL; }

const struct feature *feature_find(const char *name)
{
    if (!name || strlen(name) > FEATURE_NAME_MAX)
        return NULL;
    for (size_t i = 0; i < feature_count(); i++)
        if (!strcmp(features[i].name, name))
            return &features[i];
    return NULL;
}
