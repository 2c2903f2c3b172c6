# Every dependency is a Debian package found with find_package; nothing is downloaded.
find_package(CLI11 CONFIG REQUIRED)              # libcli11-dev
find_package(nlohmann_json 3.11 CONFIG REQUIRED) # nlohmann-json3-dev
find_package(fmt 9 CONFIG REQUIRED)              # libfmt-dev
find_package(CURL REQUIRED)                      # libcurl4-openssl-dev
find_package(OpenSSL REQUIRED COMPONENTS Crypto) # libssl-dev: SHA-256 of catalogs
find_package(Threads REQUIRED)
