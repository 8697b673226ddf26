# gongkai_embed_demo_data(TARGET NAMESPACE DIR): compiles every DIR/*.json into TARGET
# as `const std::vector<gongkai::demo::DataFile>& NAMESPACE::EmbeddedDataFiles()`
# (libs/demo/data_files.h), so a demo loader binary carries its data set. A changed or
# new file re-generates the source at the next build (libs/embed_files.cmake).
#
function(gongkai_embed_demo_data target namespace dir)
  file(GLOB files CONFIGURE_DEPENDS ${dir}/*.json)
  if(NOT files)
    message(FATAL_ERROR "gongkai_embed_demo_data: no *.json in ${dir}")
  endif()
  gongkai_embed_files(${target} FUNCTION ${namespace}::EmbeddedDataFiles
    TYPE ::gongkai::demo::DataFile HEADER libs/demo/data_files.h FILES ${files})
  target_link_libraries(${target} PUBLIC gongkai_demo)
endfunction()
