#!/usr/bin/env bash
# check-layers.sh - checks that every #include "..." in src/ points the way
# the layers allow (docs: /DESIGN.md "Layers"; includes point down only).
# Prints each forbidden include as file:line, then a count; exits 1 if there
# is any, 0 otherwise. Run from anywhere: `bash scripts/check-layers.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."

# ---- the layers: the files of each, first matching pattern wins ----------
#
# auth/ holds three levels: primitives the domain uses (argon2id, opaque
# tokens, JWTs and their secret file; no store, no HTTP), the rate limits
# (primitives too, whose counters the store keeps when several servers
# share a database), and the code that reads a request to find the caller
# and answers /oauth/ (API level).
#
#   layer       files
LAYERS='
    core        src/core/*
    model       src/model/*
    store       src/store/*
    auth        src/auth/password.* src/auth/token.* src/auth/jwt.* src/auth/jwt_secret.*
    auth-limits src/auth/ratelimit.*
    auth-http   src/auth/*
    domain      src/domain/*
    mail        src/mail/*
    http        src/http/*
    api         src/api/*
    main        src/main.c
'

# ---- the allowed directions: what a layer's files may include ------------
#
# A file may always include the files of its own layer. An entry is a layer,
# or one header (a path under src/) when only that header is allowed; "*" is
# anything. Every direction not listed is forbidden.
#
#   from        may include
ALLOWED='
    core        -
    model       core
    store       model core
    auth        core
    auth-limits store model core
    domain      model store auth auth-limits core
    mail        store model core
    http        core model/principal.h
    auth-http   http store model auth auth-limits core
    api         auth-http auth auth-limits http domain store model core
    main        *
'
# Directions the diagram of DESIGN.md does not draw, and why they hold:
# - domain -> auth: the account rules hash and check passwords, make
#   validation codes and rate-limit attempts; those primitives depend on
#   core only (the rate limits on the store too, for their shared
#   counters), so the domain stays free of HTTP and SQL.
# - http -> model/principal.h: struct request carries the authenticated
#   caller (DESIGN.md, "a request is parsed once into a struct request ...
#   the authenticated principal"); the record is all http needs of model.
# - auth-http -> http, store: finding the caller reads the Authorization
#   header and loads the user or token; /oauth/ handlers are handlers.
# - api -> auth-http: the route table lists the /oauth/ handlers.
# - mail -> store: the sender thread claims the outbox rows the domain
#   writes; it renders and delivers them, no domain rule involved.
# - main.c wires everything together.

# ---- temporary exceptions: reported as warnings, not failures -----------
#
# None today. A line "src/FILE  HEADER" here lets one include stand while it
# is being moved; an exception no longer used is reported.
#
#   file                include
TEMPORARY='
'

# ---- the check ------------------------------------------------------------

declare -a layer_names=() layer_patterns=()
while read -r name patterns; do
    [[ -n $name ]] || continue
    layer_names+=("$name")
    layer_patterns+=("$patterns")
done <<<"$LAYERS"

declare -A allowed=()
while read -r name targets; do
    [[ -n $name ]] || continue
    allowed[$name]=" $targets "
done <<<"$ALLOWED"

declare -A temporary=() temporary_used=()
while read -r file inc; do
    [[ -n $file ]] || continue
    temporary["$file $inc"]=1
done <<<"$TEMPORARY"

# layer_of PATH: the layer of a path under src/, or "" when none matches.
layer_of() {
    local i pattern
    for i in "${!layer_names[@]}"; do
        for pattern in ${layer_patterns[$i]}; do
            # shellcheck disable=SC2053  # the pattern is a glob on purpose
            if [[ $1 == $pattern ]]; then
                printf '%s' "${layer_names[$i]}"
                return
            fi
        done
    done
}

forbidden=0 warned=0 checked=0
while IFS=: read -r file line text; do
    inc=${text#*\"}
    inc=${inc%%\"*}
    if [[ $inc == */* ]]; then
        target="src/$inc"
    else
        target="$(dirname "$file")/$inc" # a sibling, as the compiler finds it
        inc=${target#src/}
    fi
    checked=$((checked + 1))
    from=$(layer_of "$file")
    to=$(layer_of "$target")
    if [[ -z $from ]]; then
        echo "$file:$line: file in no layer (add it to the table in scripts/check-layers.sh)"
        forbidden=$((forbidden + 1))
        continue
    fi
    if [[ -z $to ]]; then
        echo "$file:$line: #include \"$inc\": target in no layer"
        forbidden=$((forbidden + 1))
        continue
    fi
    rule=${allowed[$from]:-}
    if [[ $from == "$to" || $rule == *" * "* || $rule == *" $to "* || $rule == *" $inc "* ]]; then
        continue
    fi
    if [[ -n ${temporary["$file $inc"]:-} ]]; then
        echo "warning: $file:$line: $from -> $to: #include \"$inc\" (temporary exception)"
        temporary_used["$file $inc"]=1
        warned=$((warned + 1))
        continue
    fi
    echo "$file:$line: $from -> $to: #include \"$inc\" is forbidden"
    forbidden=$((forbidden + 1))
done < <(grep -rnE --include='*.c' --include='*.h' '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' src | sort -t: -k1,1 -k2,2n)

for key in "${!temporary[@]}"; do
    [[ -n ${temporary_used[$key]:-} ]] ||
        echo "note: temporary exception '$key' is no longer used: remove it from scripts/check-layers.sh"
done

echo "check-layers: $forbidden forbidden include(s), $warned temporary exception(s), $checked includes checked"
((forbidden == 0))
