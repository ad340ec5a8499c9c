#!/usr/bin/env bash
# Makes sure the local MariaDB and Redis that the app and its tests use are installed, running and
# reachable with the credentials in DATABASE_URL / REDIS_URL. Idempotent; a no-op (well under a
# second) when everything already answers. Run by `npm run setup:local`, `npm start` and `npm test`.
#
# - Reads DATABASE_URL and REDIS_URL from the environment, else from ./.env, else the app defaults.
# - Only touches services on this machine (127.0.0.1 / localhost / ::1); remote hosts are left alone.
# - MariaDB: creates/updates the app user through the root socket (Debian's root is socket-only)
#   and grants it ALL on `charity\_%`.* (tests create charity_test_* databases) and on the URL's
#   database, which it also creates.
# - Installs missing packages with apt only when run as root; otherwise prints what to run.
# - SETUP_LOCAL_SKIP=1 skips everything (e.g. CI with externally managed services).
set -euo pipefail

log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

if [[ "${SETUP_LOCAL_SKIP:-}" == "1" ]]; then
  log "SETUP_LOCAL_SKIP=1, skipping local service setup"
  exit 0
fi

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# --- .env (only the keys used here; never overrides variables already set) ----------------------
load_dotenv() {
  local file="$1" line key val
  [[ -f "$file" ]] || return 0
  while IFS= read -r line || [[ -n "$line" ]]; do
    line="${line%$'\r'}"
    [[ "$line" =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*=[[:space:]]*(.*)$ ]] || continue
    key="${BASH_REMATCH[2]}"
    val="${BASH_REMATCH[3]}"
    case "$key" in DATABASE_URL | REDIS_URL) ;; *) continue ;; esac
    [[ -n "${!key+x}" ]] && continue
    if [[ "$val" =~ ^\"(.*)\"[[:space:]]*(#.*)?$ || "$val" =~ ^\'(.*)\'[[:space:]]*(#.*)?$ ]]; then
      val="${BASH_REMATCH[1]}"
    else
      val="${val%%[[:space:]]#*}"
      val="${val%"${val##*[![:space:]]}"}"
    fi
    export "$key=$val"
  done <"$file"
}
load_dotenv "$ROOT_DIR/.env"

DATABASE_URL="${DATABASE_URL:-mysql://charity:charity@127.0.0.1:3306/charity_supermarket}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"

# --- URL helpers ------------------------------------------------------------------------------------
urldecode() {
  local s="${1//\\/\\\\}"
  printf '%b' "${s//%/\\x}"
}

# parse_url URL DEFAULT_PORT -> sets U_USER U_PASS U_HOST U_PORT U_PATH
parse_url() {
  local url="$1" rest authority userinfo hostport
  rest="${url#*://}"
  rest="${rest%%\?*}"
  rest="${rest%%#*}"
  authority="${rest%%/*}"
  if [[ "$rest" == */* ]]; then U_PATH="${rest#*/}"; else U_PATH=""; fi
  U_USER="" U_PASS=""
  if [[ "$authority" == *@* ]]; then
    userinfo="${authority%@*}"
    hostport="${authority##*@}"
    if [[ "$userinfo" == *:* ]]; then
      U_USER="$(urldecode "${userinfo%%:*}")"
      U_PASS="$(urldecode "${userinfo#*:}")"
    else
      U_USER="$(urldecode "$userinfo")"
    fi
  else
    hostport="$authority"
  fi
  if [[ "$hostport" =~ ^\[([^]]+)\](:([0-9]+))?$ ]]; then
    U_HOST="${BASH_REMATCH[1]}"
    U_PORT="${BASH_REMATCH[3]:-$2}"
  elif [[ "$hostport" == *:* ]]; then
    U_HOST="${hostport%%:*}"
    U_PORT="${hostport##*:}"
  else
    U_HOST="$hostport"
    U_PORT="$2"
  fi
  U_PORT="${U_PORT:-$2}"
}

is_local_host() {
  case "$1" in 127.0.0.1 | localhost | ::1 | "") return 0 ;; *) return 1 ;; esac
}

is_root() { [[ "$(id -u)" == "0" ]]; }

APT_UPDATED=0
apt_install() {
  is_root || return 1
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install $* yourself"
  export DEBIAN_FRONTEND=noninteractive
  if [[ "$APT_UPDATED" == "0" ]]; then
    log "apt-get update"
    apt-get update -qq >/dev/null || die "apt-get update failed"
    APT_UPDATED=1
  fi
  log "apt-get install -y $*"
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null || die "apt-get install $* failed"
}

# --- MariaDB -----------------------------------------------------------------------------------------
parse_url "$DATABASE_URL" 3306
DB_USER="$U_USER" DB_PASS="$U_PASS" DB_HOST="${U_HOST:-127.0.0.1}" DB_PORT="$U_PORT" DB_NAME="$U_PATH"
[[ -n "$DB_USER" ]] || die "DATABASE_URL has no user name: $DATABASE_URL"
[[ -n "$DB_NAME" ]] || die "DATABASE_URL has no database name: $DATABASE_URL"
DB_LABEL="$DB_USER@$DB_HOST:$DB_PORT/$DB_NAME"

MYSQL_CLI=""
find_mysql_cli() {
  MYSQL_CLI="$(command -v mariadb 2>/dev/null || command -v mysql 2>/dev/null || true)"
}

# SQL string literal / identifier escaping.
sql_str() {
  local s="${1//\\/\\\\}"
  printf "'%s'" "${s//\'/\'\'}"
}
# shellcheck disable=SC2016 # literal backticks
sql_ident() { printf '`%s`' "${1//\`/\`\`}"; }
# Database name for GRANT ... ON: `_` and `%` are wildcards there, so escape them.
sql_grant_db() {
  local s="${1//_/\\_}"
  sql_ident "${s//%/\\%}"
}
# The pattern every database the app and its tests create matches (charity_supermarket,
# charity_test_1, ...): a literal "charity_" followed by anything.
TEST_DB_PATTERN='charity\_%'

# Runs SQL as the app user over TCP (optionally in database $2). Output discarded.
app_sql() {
  local sql="$1" db="${2:-}"
  if [[ -n "$MYSQL_CLI" ]]; then
    local args=(--protocol=TCP -h "$DB_HOST" -P "$DB_PORT" -u "$DB_USER" --connect-timeout=3 -N -B)
    [[ -n "$db" ]] && args+=(-D "$db")
    MYSQL_PWD="$DB_PASS" "$MYSQL_CLI" "${args[@]}" -e "$sql" >/dev/null 2>&1
  elif [[ -d "$ROOT_DIR/node_modules/mysql2" ]] && command -v node >/dev/null 2>&1; then
    (cd "$ROOT_DIR" && DB_HOST="$DB_HOST" DB_PORT="$DB_PORT" DB_USER="$DB_USER" DB_PASS="$DB_PASS" \
      DB_DB="$db" SQL="$sql" node -e '
        const m = require("mysql2/promise");
        const e = process.env;
        (async () => {
          const c = await m.createConnection({ host: e.DB_HOST, port: +e.DB_PORT, user: e.DB_USER,
            password: e.DB_PASS, database: e.DB_DB || undefined, connectTimeout: 3000 });
          await c.query(e.SQL);
          await c.end();
        })().catch(() => process.exit(1));' >/dev/null 2>&1)
  else
    return 1
  fi
}

# The app user can log in over TCP and use its database (creating it if it has the right to).
app_db_ok() {
  app_sql 'SELECT 1' "$DB_NAME" && return 0
  app_sql "CREATE DATABASE IF NOT EXISTS $(sql_ident "$DB_NAME") CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci" &&
    app_sql 'SELECT 1' "$DB_NAME"
}

ROOT_SQL=()
root_sql() {
  "${ROOT_SQL[@]}" -N -B -e "$1"
}

find_root_access() {
  ROOT_SQL=()
  if "$MYSQL_CLI" -uroot -N -B -e 'SELECT 1' >/dev/null 2>&1; then
    ROOT_SQL=("$MYSQL_CLI" -uroot)
  elif ! is_root && command -v sudo >/dev/null 2>&1 && sudo -n "$MYSQL_CLI" -uroot -N -B -e 'SELECT 1' >/dev/null 2>&1; then
    ROOT_SQL=(sudo -n "$MYSQL_CLI" -uroot)
  else
    return 1
  fi
}

start_mariadb() {
  local mariadbd
  mariadbd="$(command -v mariadbd 2>/dev/null || true)"
  [[ -n "$mariadbd" ]] || mariadbd=/usr/sbin/mariadbd
  [[ -x "$mariadbd" ]] || mariadbd=/usr/sbin/mysqld
  [[ -x "$mariadbd" ]] || die "MariaDB server binary not found"
  if ! is_root; then
    die "MariaDB is not running; start it with: sudo start-stop-daemon --start --oknodo --background --exec $mariadbd"
  fi
  mkdir -p /run/mysqld
  chown mysql:mysql /run/mysqld 2>/dev/null || true
  if [[ ! -d /var/lib/mysql/mysql ]]; then
    log "initialising MariaDB data directory"
    mkdir -p /var/lib/mysql
    chown mysql:mysql /var/lib/mysql 2>/dev/null || true
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null 2>&1 ||
      mysql_install_db --user=mysql --datadir=/var/lib/mysql >/dev/null 2>&1 ||
      die "could not initialise /var/lib/mysql"
  fi
  log "starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec "$mariadbd" </dev/null >/dev/null 2>&1 ||
    die "could not start $mariadbd"
  local i
  for ((i = 0; i < 60; i++)); do
    "$MYSQL_CLI" -uroot -N -B -e 'SELECT 1' >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  die "MariaDB did not come up within 30 s (see /var/log/mysql/error.log)"
}

server_installed() {
  command -v mariadbd >/dev/null 2>&1 || [[ -x /usr/sbin/mariadbd || -x /usr/sbin/mysqld ]]
}

server_running() {
  # Any answer (even "access denied") means the server is up on the socket.
  local out
  out="$("$MYSQL_CLI" -uroot -N -B -e 'SELECT 1' 2>&1)" && return 0
  [[ "$out" == *"Access denied"* || "$out" == *"ERROR 1698"* || "$out" == *"ERROR 1045"* ]]
}

setup_mariadb() {
  find_mysql_cli
  if app_db_ok; then
    DB_STATUS="MariaDB ok ($DB_LABEL)"
    return 0
  fi
  if ! is_local_host "$DB_HOST"; then
    die "cannot connect to $DB_LABEL (remote host: not managed by this script)"
  fi

  if [[ -z "$MYSQL_CLI" ]] || ! server_installed; then
    if is_root; then
      apt_install mariadb-server mariadb-client
      find_mysql_cli
    else
      die "MariaDB is not installed; run: sudo apt-get update && sudo apt-get install -y mariadb-server mariadb-client && npm run setup:local"
    fi
  fi
  [[ -n "$MYSQL_CLI" ]] || die "no mariadb/mysql client found"

  server_running || start_mariadb

  if ! find_root_access; then
    die "cannot log in to MariaDB as root through the socket; run as root (sudo npm run setup:local) or create the user yourself: CREATE USER '$DB_USER'@'127.0.0.1' IDENTIFIED BY '...'; GRANT ALL ON \`charity\\_%\`.* TO '$DB_USER'@'127.0.0.1';"
  fi

  log "creating/updating MariaDB user '$DB_USER' and database '$DB_NAME'"
  local hosts=(localhost 127.0.0.1) h acct sql pw
  [[ "$DB_HOST" == "localhost" || "$DB_HOST" == "::1" ]] && hosts+=("::1")
  pw="$(sql_str "$DB_PASS")"
  sql="CREATE DATABASE IF NOT EXISTS $(sql_ident "$DB_NAME") CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci;"
  for h in "${hosts[@]}"; do
    acct="$(sql_str "$DB_USER")@$(sql_str "$h")"
    sql+=" CREATE USER IF NOT EXISTS $acct IDENTIFIED BY $pw;"
    sql+=" ALTER USER $acct IDENTIFIED BY $pw;"
    sql+=" GRANT ALL PRIVILEGES ON $(sql_ident "$TEST_DB_PATTERN").* TO $acct;"
    sql+=" GRANT ALL PRIVILEGES ON $(sql_grant_db "$DB_NAME").* TO $acct;"
  done
  sql+=" FLUSH PRIVILEGES;"
  root_sql "$sql" >/dev/null || die "creating the MariaDB user failed"

  if ! app_db_ok; then
    die "user '$DB_USER' still cannot log in over TCP at $DB_HOST:$DB_PORT; is MariaDB listening there (bind-address, port, skip-networking in /etc/mysql)?"
  fi
  DB_STATUS="MariaDB ready ($DB_LABEL)"
}

# --- Redis -------------------------------------------------------------------------------------------
parse_url "$REDIS_URL" 6379
REDIS_HOST="${U_HOST:-127.0.0.1}" REDIS_PORT="$U_PORT" REDIS_USER="$U_USER" REDIS_PASS="$U_PASS"

redis_ok() {
  local out
  if command -v redis-cli >/dev/null 2>&1; then
    # Not `-u URL`: redis-cli 7.0 mishandles redis://:password@host (empty user name).
    local args=(-h "$REDIS_HOST" -p "$REDIS_PORT")
    [[ -n "$REDIS_USER" ]] && args+=(--user "$REDIS_USER")
    [[ "$REDIS_URL" == rediss://* ]] && args+=(--tls)
    out="$(REDISCLI_AUTH="$REDIS_PASS" timeout 5 redis-cli "${args[@]}" ping 2>/dev/null || true)"
  else
    # Plain RESP over bash's /dev/tcp (no TLS).
    # shellcheck disable=SC2016
    out="$(REDIS_HOST="$REDIS_HOST" REDIS_PORT="$REDIS_PORT" REDIS_PASS="$REDIS_PASS" timeout 3 bash -c '
      exec 3<>"/dev/tcp/$REDIS_HOST/$REDIS_PORT" || exit 1
      if [[ -n "$REDIS_PASS" ]]; then
        printf "*2\r\n\$4\r\nAUTH\r\n\$%d\r\n%s\r\n" "${#REDIS_PASS}" "$REDIS_PASS" >&3
        IFS= read -r -t 2 _ <&3
      fi
      printf "*1\r\n\$4\r\nPING\r\n" >&3
      IFS= read -r -t 2 line <&3 && printf "%s" "$line"' 2>/dev/null || true)"
    out="${out%$'\r'}"
    out="${out#+}"
  fi
  [[ "$out" == "PONG" ]]
}

setup_redis() {
  if redis_ok; then
    REDIS_STATUS="Redis ok ($REDIS_HOST:$REDIS_PORT)"
    return 0
  fi
  if ! is_local_host "$REDIS_HOST"; then
    REDIS_STATUS="Redis host $REDIS_HOST is not local and did not answer PING yet, leaving it alone"
    return 0
  fi
  if ! command -v redis-server >/dev/null 2>&1; then
    if is_root; then
      apt_install redis-server
      # The package may have started its own instance.
      if redis_ok; then
        REDIS_STATUS="Redis ready ($REDIS_HOST:$REDIS_PORT)"
        return 0
      fi
    else
      die "Redis is not installed; run: sudo apt-get update && sudo apt-get install -y redis-server && npm run setup:local"
    fi
  fi
  # shellcheck disable=SC2016 # expanded by the inner bash
  if timeout 2 bash -c ': <>"/dev/tcp/$0/$1"' "$REDIS_HOST" "$REDIS_PORT" 2>/dev/null; then
    die "something listens on $REDIS_HOST:$REDIS_PORT but does not answer PING with the REDIS_URL credentials (wrong password?)"
  fi
  log "starting Redis on 127.0.0.1:$REDIS_PORT"
  local args=(--daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no)
  [[ -n "$REDIS_PASS" ]] && args+=(--requirepass "$REDIS_PASS")
  (cd /tmp && redis-server "${args[@]}" </dev/null >/dev/null 2>&1) || die "could not start redis-server"
  local i
  for ((i = 0; i < 40; i++)); do
    if redis_ok; then
      REDIS_STATUS="Redis ready ($REDIS_HOST:$REDIS_PORT)"
      return 0
    fi
    sleep 0.25
  done
  die "Redis did not answer PING on $REDIS_HOST:$REDIS_PORT within 10 s"
}

# --- main --------------------------------------------------------------------------------------------
DB_STATUS="" REDIS_STATUS=""
if is_local_host "$DB_HOST"; then
  setup_mariadb
else
  DB_STATUS="database host $DB_HOST is not local, leaving it alone"
fi
setup_redis
log "$DB_STATUS; $REDIS_STATUS"
