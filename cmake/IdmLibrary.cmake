# idm_library(NAME DEPS dep...)
# One static library per idm/<folder>. Sources are the folder's *.cc files (recursively); the DEPS
# list is the set of libraries the folder may depend on (CONVENTIONS.md, "The tree is the
# architecture"). Includes are rooted at the repository: #include "idm/core/result.h".
# With IDM_UNITY_BUILD the folder's sources compile in batches of 8 (one translation unit each):
# the whole-tree builds of the two README commands use it (docs/testing.md, "Build time").
function(idm_library name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  if(srcs)
    add_library(${name} STATIC ${srcs})
    target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(${name} PUBLIC ${ARG_DEPS})
    if(IDM_UNITY_BUILD)
      set_target_properties(${name} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
    endif()
  else()
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(${name} INTERFACE ${ARG_DEPS})
  endif()
endfunction()
