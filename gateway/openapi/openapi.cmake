# /openapi.json and the /docs page, built from the protos and compiled into the library
# gateway_static_assets (gateway/static_assets.h). Included by gateway/edge.cmake.
#
#   every protos/gongkai/**.proto --protoc-gen-swagger--> <name>.swagger.json (one per file:
#       Debian's protoc-gen-swagger 1.6.4 refuses allow_merge across proto packages)
#   + build/gongkai.desc (access options) --build_openapi.py--> openapi.json
#   + gateway/docs/*  --embed_assets.cmake--> gateway_static_assets_embedded.cc
#
# The proto list is the same glob as protos/CMakeLists.txt, so a new service's RPCs
# appear in the document without touching this file. Test: gateway_openapi_test (unit).

find_program(GONGKAI_PROTOC_GEN_SWAGGER protoc-gen-swagger)
if(NOT GONGKAI_PROTOC_GEN_SWAGGER)
  message(FATAL_ERROR "protoc-gen-swagger not found: install the Debian package "
                      "golang-grpc-gateway (./gongkai up does this for you).")
endif()
# Debian's interpreter on purpose: python3-protobuf and python3-swagger-spec-validator
# are Debian packages, invisible to a python3 that pyenv or a venv puts first on PATH.
find_program(GONGKAI_DEBIAN_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT GONGKAI_DEBIAN_PYTHON3)
  message(FATAL_ERROR "/usr/bin/python3 not found: install the Debian package python3.")
endif()
execute_process(COMMAND ${GONGKAI_DEBIAN_PYTHON3} -c "import google.protobuf"
                RESULT_VARIABLE gateway_no_python_protobuf OUTPUT_QUIET ERROR_QUIET)
if(gateway_no_python_protobuf)
  message(FATAL_ERROR "${GONGKAI_DEBIAN_PYTHON3} cannot import google.protobuf: install the "
                      "Debian package python3-protobuf.")
endif()

set(gateway_openapi_dir ${CMAKE_CURRENT_LIST_DIR})
set(gateway_docs_dir ${CMAKE_CURRENT_LIST_DIR}/../docs)
cmake_path(NORMAL_PATH gateway_docs_dir)
set(gateway_proto_root ${PROJECT_SOURCE_DIR}/protos)
set(gateway_swagger_dir ${CMAKE_CURRENT_BINARY_DIR}/openapi/swagger)
set(GATEWAY_OPENAPI_JSON ${CMAKE_CURRENT_BINARY_DIR}/openapi/openapi.json CACHE INTERNAL
    "The generated OpenAPI document")

file(GLOB_RECURSE gateway_openapi_protos RELATIVE ${gateway_proto_root} CONFIGURE_DEPENDS
     ${gateway_proto_root}/gongkai/*.proto)
set(gateway_openapi_proto_paths)
foreach(rel ${gateway_openapi_protos})
  list(APPEND gateway_openapi_proto_paths ${gateway_proto_root}/${rel})
endforeach()

# One protoc run per file; each output depends on every proto, since a message from an
# imported file is described in the importing file's output too.
set(gateway_swagger_files)
foreach(rel ${gateway_openapi_protos})
  string(REGEX REPLACE "\\.proto$" ".swagger.json" out ${rel})
  add_custom_command(
    OUTPUT ${gateway_swagger_dir}/${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${gateway_swagger_dir}
    COMMAND protobuf::protoc -I${gateway_proto_root} -I${GOOGLEAPIS_PROTO_DIR}
      -I${Protobuf_INCLUDE_DIRS} --plugin=protoc-gen-swagger=${GONGKAI_PROTOC_GEN_SWAGGER}
      --swagger_out=json_names_for_fields=true:${gateway_swagger_dir} ${rel}
    WORKING_DIRECTORY ${gateway_proto_root}
    DEPENDS ${gateway_openapi_proto_paths}
    COMMENT "protoc-gen-swagger ${rel}"
    VERBATIM)
  list(APPEND gateway_swagger_files ${gateway_swagger_dir}/${out})
endforeach()

add_custom_command(
  OUTPUT ${GATEWAY_OPENAPI_JSON}
  COMMAND ${GONGKAI_DEBIAN_PYTHON3} ${gateway_openapi_dir}/build_openapi.py
    --descriptor_set ${GONGKAI_DESCRIPTOR_SET} --version ${PROJECT_VERSION}
    --output ${GATEWAY_OPENAPI_JSON} ${gateway_swagger_files}
  DEPENDS ${gateway_swagger_files} ${GONGKAI_DESCRIPTOR_SET} gongkai_descriptor_set
          ${gateway_openapi_dir}/build_openapi.py ${gateway_openapi_dir}/proto_rpcs.py
  COMMENT "Building openapi.json"
  VERBATIM)

file(GLOB gateway_docs_files CONFIGURE_DEPENDS ${gateway_docs_dir}/*)
string(REPLACE ";" "|" gateway_docs_arg "${gateway_docs_files}")
set(gateway_static_assets_cc ${CMAKE_CURRENT_BINARY_DIR}/gateway_static_assets_embedded.cc)
add_custom_command(
  OUTPUT ${gateway_static_assets_cc}
  COMMAND ${CMAKE_COMMAND} -DOUTPUT=${gateway_static_assets_cc} -DOPENAPI=${GATEWAY_OPENAPI_JSON}
          "-DDOCS=${gateway_docs_arg}" -P ${gateway_openapi_dir}/embed_assets.cmake
  DEPENDS ${GATEWAY_OPENAPI_JSON} ${gateway_docs_files} ${gateway_openapi_dir}/embed_assets.cmake
  COMMENT "Embedding openapi.json and gateway/docs"
  VERBATIM)

add_library(gateway_static_assets ${gateway_static_assets_cc})
target_compile_options(gateway_static_assets PRIVATE ${GONGKAI_WARNINGS})
target_include_directories(gateway_static_assets PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(gateway_static_assets PUBLIC absl::strings)

gongkai_add_test(NAME gateway_static_assets_test LABEL unit
  SOURCES ${gateway_openapi_dir}/static_assets_test.cc
  DEPS gateway_static_assets nlohmann_json::nlohmann_json)
target_compile_definitions(gateway_static_assets_test PRIVATE
  GATEWAY_OPENAPI_JSON_PATH="${GATEWAY_OPENAPI_JSON}")

# Valid Swagger 2.0, every HTTP-bound RPC documented, public ones without security, the
# error body on every operation. Needs python3-swagger-spec-validator (Debian).
add_test(NAME gateway_openapi_test
  COMMAND ${GONGKAI_DEBIAN_PYTHON3} ${gateway_openapi_dir}/check_openapi.py
    --openapi ${GATEWAY_OPENAPI_JSON} --descriptor_set ${GONGKAI_DESCRIPTOR_SET})
set_tests_properties(gateway_openapi_test PROPERTIES LABELS unit)
