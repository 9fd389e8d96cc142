# AddressSanitizer + UndefinedBehaviorSanitizer for the asan preset. Applied globally so
# every object, including moc output and tests, is instrumented consistently.
option(HIVE_SANITIZE "Build with ASan and UBSan" OFF)
if(HIVE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
