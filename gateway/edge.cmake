# Edge pieces of the gateway that need nothing from its core, included by
# gateway/CMakeLists.txt:
#   gateway_edge           rate limiter, CORS policy, API-key store
#   gongkai-api-key        CLI that makes a new API key and its configuration entry
#   gateway_static_assets  /openapi.json and the /docs page, generated at build time
#                          (gateway/openapi/openapi.cmake)

add_library(gateway_edge
  ${CMAKE_CURRENT_LIST_DIR}/rate_limiter.cc
  ${CMAKE_CURRENT_LIST_DIR}/cors.cc
  ${CMAKE_CURRENT_LIST_DIR}/api_keys.cc)
target_compile_options(gateway_edge PRIVATE ${GONGKAI_WARNINGS})
target_include_directories(gateway_edge PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(gateway_edge
  PUBLIC gongkai_auth gongkai_clock absl::status absl::statusor absl::strings absl::time
         absl::flat_hash_set
  PRIVATE absl::flat_hash_map absl::hash absl::synchronization OpenSSL::Crypto
          nlohmann_json::nlohmann_json)

add_executable(gongkai-api-key ${CMAKE_CURRENT_LIST_DIR}/api_keys_main.cc)
target_compile_options(gongkai-api-key PRIVATE ${GONGKAI_WARNINGS})
target_link_libraries(gongkai-api-key PRIVATE gateway_edge gongkai_config absl::flags
  absl::flags_parse absl::flags_usage absl::strings nlohmann_json::nlohmann_json)

gongkai_add_test(NAME gateway_rate_limiter_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/rate_limiter_test.cc
  DEPS gateway_edge gongkai_clock Threads::Threads)
gongkai_add_test(NAME gateway_cors_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/cors_test.cc DEPS gateway_edge)
gongkai_add_test(NAME gateway_api_keys_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/api_keys_test.cc
  DEPS gateway_edge gongkai_auth nlohmann_json::nlohmann_json)
# gateway_api_keys_test also runs the CLI.
add_dependencies(gateway_api_keys_test gongkai-api-key)
target_compile_definitions(gateway_api_keys_test PRIVATE
  GONGKAI_API_KEY_BINARY="$<TARGET_FILE:gongkai-api-key>")

if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/openapi/openapi.cmake)
  include(${CMAKE_CURRENT_LIST_DIR}/openapi/openapi.cmake)
endif()
