# GONGKAI_STATIC_DEPS (issue 14, P4; docs/adr/0028): link the executables against
# Debian's static archives of gRPC (grpc++, grpc++_reflection, grpc, gpr, upb,
# address_sorting), protobuf, Abseil, re2 and c-ares instead of their ~50 shared
# libraries. A process then maps the objects it uses of them, laid out in one file,
# instead of the whole of each library, and the dynamic loader neither resolves their
# exported symbols nor relocates their tables at start-up (docs/performance.md).
#
# GONGKAI_GRPC_UNSECURE: gRPC::grpc and gRPC::grpc++ from libgrpc_unsecure.a and
# libgrpc++_unsecure.a, the same library without the TLS, ALTS and xDS code.
#
# OpenSSL, zlib, libstdc++ and glibc stay shared: libmariadb (under Connector/C++),
# libcurl, libjwt and prometheus-cpp load them too, and a second, static copy of
# OpenSSL in the same process would split its global state (error queues, the provider
# registry) between two sets of functions of the same name.
#
# The archives are replaced on the imported targets themselves, so every executable of
# the tree (services, gateway, tools, tests) links the same way; the libraries of libs/
# are static archives already. Debian builds these archives as position-independent
# code, so the executables stay PIE. Both lld (the default) and GNU ld link them (CMake
# orders the archives by the targets' dependencies); lld with less than half the CPU.

function(_gongkai_use_static_archive target)
  get_target_property(configs ${target} IMPORTED_CONFIGURATIONS)
  set(locations)
  if(configs)
    foreach(config IN LISTS configs)
      list(APPEND locations IMPORTED_LOCATION_${config})
    endforeach()
  endif()
  list(APPEND locations IMPORTED_LOCATION)
  foreach(property IN LISTS locations)
    get_target_property(shared ${target} ${property})
    if(NOT shared OR NOT shared MATCHES "\\.so(\\.[0-9.]+)?$")
      continue()
    endif()
    string(REGEX REPLACE "\\.so(\\.[0-9.]+)?$" ".a" archive "${shared}")
    if(GONGKAI_GRPC_UNSECURE)
      string(REGEX REPLACE "/lib(grpc|grpc\\+\\+)\\.a$" "/lib\\1_unsecure.a" archive "${archive}")
    endif()
    if(NOT EXISTS "${archive}")
      message(FATAL_ERROR "GONGKAI_STATIC_DEPS: ${archive} (for ${target}) is missing")
    endif()
    set_target_properties(${target} PROPERTIES ${property} "${archive}")
  endforeach()
endfunction()

function(gongkai_use_static_deps)
  get_property(imported DIRECTORY "${PROJECT_SOURCE_DIR}" PROPERTY IMPORTED_TARGETS)
  set(count 0)
  foreach(target IN LISTS imported)
    get_target_property(type ${target} TYPE)
    if(NOT type MATCHES "^(SHARED|UNKNOWN)_LIBRARY$")
      continue()  # header-only and executable targets (protoc, grpc_cpp_plugin)
    endif()
    if(target MATCHES "^(absl|gRPC|protobuf|c-ares)::" AND NOT target STREQUAL "protobuf::libprotoc")
      _gongkai_use_static_archive(${target})
      math(EXPR count "${count} + 1")
    endif()
  endforeach()
  # gRPC's Findre2 (pkg-config) names the library as -lre2 in the interface.
  if(TARGET re2::re2)
    find_library(GONGKAI_RE2_ARCHIVE NAMES libre2.a REQUIRED)
    set_target_properties(re2::re2 PROPERTIES INTERFACE_LINK_LIBRARIES "${GONGKAI_RE2_ARCHIVE}")
  endif()
  # libprotobuf.a's gzip streams use zlib (pkg-config --static protobuf: -lz).
  find_package(ZLIB REQUIRED)
  set_property(TARGET protobuf::libprotobuf APPEND PROPERTY INTERFACE_LINK_LIBRARIES ZLIB::ZLIB)
  # Drops the sections nothing references; little (80 kB of the catalog's 9.3 MB of code),
  # as neither the archives nor the project are compiled with -ffunction-sections.
  add_link_options(-Wl,--gc-sections)
  # The cold parts GCC splits off functions (.text.unlikely) and the start-up code
  # (.text.startup) in sections of their own instead of between the code that runs:
  # fewer pages of it are touched and resident (−0.2 to −0.5 MiB per process).
  add_link_options(-Wl,-z,keep-text-section-prefix)
  message(STATUS "GONGKAI_STATIC_DEPS: ${count} imported libraries linked from their static archives")
endfunction()
