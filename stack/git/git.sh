# shellcheck shell=bash
# A bare git repository serving as `origin` for commit-back tests and the local Integration Day.
GIT_ORIGIN="${GIT_ORIGIN:-$STACK_STATE/git/origin.git}"

git_up() {
  if [ -f "$GIT_ORIGIN/HEAD" ]; then log "git origin: already at $GIT_ORIGIN"; return 0; fi
  mkdir -p "$(dirname "$GIT_ORIGIN")"
  git init -q --bare --initial-branch=main "$GIT_ORIGIN"
  # Like a hosted remote: refuse force pushes and deletions, so commit-back must be fast-forward only.
  git -C "$GIT_ORIGIN" config receive.denyNonFastForwards true
  git -C "$GIT_ORIGIN" config receive.denyDeletes true
  log "git origin: created bare repository $GIT_ORIGIN"
}

git_down() { :; }

git_status() {
  if [ -f "$GIT_ORIGIN/HEAD" ]; then echo "git: ready  origin=$GIT_ORIGIN"; else echo "git: absent"; return 3; fi
}
