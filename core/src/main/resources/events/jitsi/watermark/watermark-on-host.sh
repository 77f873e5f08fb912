#!/bin/bash
# events-jitsi: the watermark folder on an EC2 host of the cluster, sent by SSM Run Command (AWS-RunShellScript).
# Generated from a template: the values below are base64 text chosen by the engine, never shell syntax. It does what
# the local `events-jitsi watermark` does: every change is a rename inside the folder, links are never followed, and
# a failure leaves the folder as it was. Its last line is the result, read by the engine.
set -u
umask 022
action='@ACTION@'
dir=$(printf '%s' '@DIR_BASE64@' | base64 -d)
expected_sha256='@SHA256@'
file="$dir/watermark.svg"
backup="$dir/watermark.svg_ba"

result() { # outcome code [detail]
  local state='MISSING' sha='' backup_sha=''
  if [ -f "$file" ] && [ ! -L "$file" ]; then sha=$(sha256sum < "$file" | cut -d' ' -f1); fi
  if [ -f "$backup" ] && [ ! -L "$backup" ]; then backup_sha=$(sha256sum < "$backup" | cut -d' ' -f1); fi
  if [ -n "$sha" ] && [ -n "$backup_sha" ]; then state='REPLACED'
  elif [ -n "$sha" ]; then state='PRESENT'
  elif [ -n "$backup_sha" ]; then state='HIDDEN'; fi
  printf 'events-jitsi-watermark outcome=%s code=%s state=%s sha256=%s backup_sha256=%s detail=%s\n' \
    "$1" "$2" "$state" "$sha" "$backup_sha" "$(printf '%s' "${3:-}" | base64 -w0)"
  case "$1" in ok) exit 0 ;; refused) exit 2 ;; *) exit 1 ;; esac
}

[ -d "$dir" ] || result refused no-folder
for f in "$file" "$backup"; do
  if [ -L "$f" ]; then result refused not-regular "$(basename "$f") link"; fi
  if [ -e "$f" ] && [ ! -f "$f" ]; then result refused not-regular "$(basename "$f") other"; fi
done
has_file=no; has_backup=no
[ -f "$file" ] && has_file=yes
[ -f "$backup" ] && has_backup=yes

case "$action" in
  status)
    result ok status ;;
  hide)
    if [ $has_file = no ] && [ $has_backup = yes ]; then result ok already-hidden; fi
    if [ $has_file = no ]; then result refused nothing-to-hide; fi
    if [ $has_backup = no ]; then
      mv -f -T -- "$file" "$backup" 2>/dev/null || result failed rename-failed "watermark.svg to watermark.svg_ba"
      result ok hid-original
    fi
    rm -f -- "$file" 2>/dev/null || result failed remove-failed "watermark.svg"
    result ok removed-replacement ;;
  restore)
    if [ $has_backup = no ]; then result refused no-backup "$has_file"; fi
    mv -f -T -- "$backup" "$file" 2>/dev/null || result failed rename-failed "watermark.svg_ba to watermark.svg"
    result ok restored ;;
  replace)
    if [ $has_file = yes ] && [ "$(sha256sum < "$file" | cut -d' ' -f1)" = "$expected_sha256" ]; then result ok unchanged; fi
    new=$(mktemp "$dir/.watermark-XXXXXX.svg.tmp" 2>/dev/null) || result failed write-failed "cannot create a file in the folder"
    if ! printf '%s' '@CONTENT_GZIP_BASE64@' | base64 -d | gzip -dc > "$new" 2>/dev/null \
        || [ "$(sha256sum < "$new" | cut -d' ' -f1)" != "$expected_sha256" ]; then
      rm -f -- "$new"; result failed transfer-failed "the file received does not match its SHA-256"
    fi
    made_backup=no
    if [ $has_file = yes ] && [ $has_backup = no ]; then
      # A copy, not a move: the original is served until the new file takes its place; no more readable than it.
      copy=$(mktemp "$dir/.watermark-XXXXXX.tmp" 2>/dev/null) || { rm -f -- "$new"; result failed write-failed "cannot create a file in the folder"; }
      mode=$(printf '%o' $(( 0$(stat -c '%a' -- "$file") & 0644 )))
      if cat -- "$file" > "$copy" && chmod "$mode" -- "$copy" && mv -f -T -- "$copy" "$backup"; then
        made_backup=yes
      else
        rm -f -- "$copy" "$new"; result failed write-failed "cannot keep the original as watermark.svg_ba"
      fi
    fi
    if chmod 0644 -- "$new" && mv -f -T -- "$new" "$file"; then
      result ok replaced "$made_backup"
    fi
    rm -f -- "$new"
    if [ $made_backup = yes ]; then rm -f -- "$backup"; fi
    result failed write-failed "cannot rename the new file to watermark.svg" ;;
  *)
    result refused unknown-action ;;
esac
