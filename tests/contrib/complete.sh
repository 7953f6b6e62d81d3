#!/usr/bin/env bash
# tests/contrib/complete.sh COMPLETION-FILE LINE...: complete each LINE as
# bash would at its end and print "LINE -> REPLY REPLY..." (replies
# sorted, one space apart).
#
# bash hands a completion function COMP_WORDS split at blanks and at the
# COMP_WORDBREAKS characters, each run of which is a word of its own
# ("--xml=a" is "--xml" "=" "a"; "qemu:///system" is "qemu" ":"
# "///system"); the split below does the same for the characters the
# numaplace completion meets (no quoting in the test lines).
set -u
. /usr/share/bash-completion/bash_completion || exit 2
. "$1" || exit 2
shift

split_words() { # line -> COMP_WORDS, COMP_CWORD
        local line=$1 w= c prev_kind= kind i
        COMP_WORDS=()
        for ((i = 0; i < ${#line}; i++)); do
                c=${line:i:1}
                case $c in
                ' ') kind=blank ;;
                [=:]) kind=break ;;
                *) kind=word ;;
                esac
                if [ "$kind" != "$prev_kind" ] && [ -n "$w" ]; then
                        COMP_WORDS+=("$w")
                        w=
                fi
                [ "$kind" != blank ] && w+=$c
                prev_kind=$kind
        done
        if [ -n "$w" ]; then
                COMP_WORDS+=("$w")
        else
                COMP_WORDS+=("") # after a blank: a new, empty word
        fi
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
}

for line in "$@"; do
        split_words "$line"
        COMP_LINE=$line
        COMP_POINT=${#line}
        COMPREPLY=()
        _numaplace numaplace "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf '%s -> %s\n' "$line" "$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"
done
