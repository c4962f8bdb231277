# idm_embed(TARGET name NAME symbol FILES f1 f2 ... BASE dir)
# Embeds text files (SQL migrations, OpenAPI, templates) into the binary so that `idm` is one file.
# Generates a .cc that defines
#   const std::vector<idm::core::EmbeddedFile>& <symbol>();
# whose entries carry the path relative to BASE and the file's content.
function(idm_embed)
  cmake_parse_arguments(ARG "" "TARGET;NAME;BASE" "FILES" ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${ARG_NAME}_embedded.cc)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DSYMBOL=${ARG_NAME} -DBASE=${ARG_BASE}
            "-DFILES=${ARG_FILES}" -P ${PROJECT_SOURCE_DIR}/cmake/IdmEmbedGen.cmake
    DEPENDS ${ARG_FILES} ${PROJECT_SOURCE_DIR}/cmake/IdmEmbedGen.cmake
    COMMENT "Embedding ${ARG_NAME}"
    VERBATIM)
  target_sources(${ARG_TARGET} PRIVATE ${out})
endfunction()
