#!/bin/bash
# The dev database's bootstrap (k8s/overlays/dev/mysql/bootstrap-job.yaml): for each
# service, its database and its user, granted ALL on that database only, with the
# password of its <name>-db Secret (mounted under /etc/gongkai/secrets/<name>-db/).
# Idempotent: CREATE ... IF NOT EXISTS, then ALTER USER sets the current password.
# The same statements as ./gongkai up (deploy/scripts/mariadb.sh, mariadb_ensure_service_db),
# with the host '%' (pods have no fixed address).
# MYSQL_HOST, MYSQL_PORT, MYSQL_ADMIN and SECRETS_DIR override the Job's values (to run
# it by hand against another server).
set -euo pipefail
secrets=${SECRETS_DIR:-/etc/gongkai/secrets}
MYSQL_PWD=$(cat "$secrets/mysql-root/password")
export MYSQL_PWD
client=(mariadb --protocol=tcp -h "${MYSQL_HOST:-mysql}" -P "${MYSQL_PORT:-3306}" -u "${MYSQL_ADMIN:-root}")
for _ in $(seq 1 120); do
  "${client[@]}" -e 'SELECT 1' >/dev/null 2>&1 && break
  echo "waiting for ${MYSQL_HOST:-mysql}:${MYSQL_PORT:-3306}"
  sleep 5
done
for service in $GONGKAI_BOOTSTRAP_NAMES; do
  db=gongkai_$service
  password=$(cat "$secrets/$service-db/password")
  [[ $db =~ ^[a-z0-9_]+$ && $password != *"'"* && $password != *\\* ]] || {
    echo "refusing unsafe database name or password for $service" >&2
    exit 1
  }
  "${client[@]}" <<SQL
CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$db'@'%' IDENTIFIED BY '$password';
ALTER USER '$db'@'%' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON \`$db\`.* TO '$db'@'%';
SQL
  echo "database $db and user $db ready"
done
