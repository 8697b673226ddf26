// The migrations compiled into this binary by gongkai_embed_migrations(<target> <dir>).
//
//   # services/catalog/CMakeLists.txt
//   gongkai_embed_migrations(gongkai_catalog_server ${CMAKE_CURRENT_SOURCE_DIR}/migrations)
//
//   // main.cc
//   #include "libs/db/embedded_migrations.h"
//   db::Migrator migrator(pool.get(), db::EmbeddedMigrations());
//
// The definition is generated per executable target from its NNNN_name.sql files, so
// each binary links exactly one set (calling the CMake function for two targets that end
// up in the same binary is a duplicate-symbol link error). Sorted by version.
// Thread-safe; each call builds a fresh vector.
#ifndef GONGKAI_LIBS_DB_EMBEDDED_MIGRATIONS_H_
#define GONGKAI_LIBS_DB_EMBEDDED_MIGRATIONS_H_

#include <vector>

#include "libs/db/migrator.h"

namespace gongkai::db {

std::vector<Migration> EmbeddedMigrations();

}  // namespace gongkai::db

#endif  // GONGKAI_LIBS_DB_EMBEDDED_MIGRATIONS_H_
