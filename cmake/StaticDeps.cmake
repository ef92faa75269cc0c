# ZB_STATIC: a binary that drops into the controller image (UBI 9, glibc
# 2.34, none of our libraries installed). libstdc++ and libgcc are linked
# statically, and every imported third-party library is swapped for the
# static archive Debian ships beside its shared one (Abseil, yaml-cpp,
# zstd, OpenSSL). Only glibc stays shared: a static glibc breaks getaddrinfo
# and user lookups. tests/portable/check.sh asserts the result.
set(OPENSSL_USE_STATIC_LIBS TRUE)

# Replaces "/usr/lib/.../libfoo.so[.N...]" by "/usr/lib/.../libfoo.a" if
# that exists; other items are returned unchanged.
function(zb_static_path item out)
  set(result "${item}")
  if(item MATCHES "^(/.*/lib[^/]+)\\.so(\\.[0-9.]+)?$")
    if(EXISTS "${CMAKE_MATCH_1}.a")
      set(result "${CMAKE_MATCH_1}.a")
    endif()
  endif()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

# Rewrites the locations and link interfaces of every imported target found
# so far in this directory.
function(zb_use_static_archives)
  get_property(targets DIRECTORY PROPERTY IMPORTED_TARGETS)
  foreach(t IN LISTS targets)
    get_target_property(type ${t} TYPE)
    if(type STREQUAL "INTERFACE_LIBRARY")
      set(props INTERFACE_LINK_LIBRARIES)
    else()
      set(props IMPORTED_LOCATION IMPORTED_LOCATION_NONE IMPORTED_LOCATION_RELEASE
                IMPORTED_LOCATION_RELWITHDEBINFO IMPORTED_LOCATION_NOCONFIG
                INTERFACE_LINK_LIBRARIES)
    endif()
    foreach(p IN LISTS props)
      get_target_property(value ${t} ${p})
      if(NOT value)
        continue()
      endif()
      set(new "")
      foreach(item IN LISTS value)
        zb_static_path("${item}" s)
        list(APPEND new "${s}")
      endforeach()
      set_target_properties(${t} PROPERTIES ${p} "${new}")
      if(p MATCHES "^IMPORTED_LOCATION" AND NOT new STREQUAL value)
        # A static archive is not a shared library: no soname to record.
        set_target_properties(${t} PROPERTIES IMPORTED_NO_SONAME TRUE)
      endif()
    endforeach()
  endforeach()
endfunction()
