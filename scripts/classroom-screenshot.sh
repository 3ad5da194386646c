#!/usr/bin/env bash
# Makes docs/classroom.png, the picture of the classroom page in the README: runs ClassroomBrowserIT
# (four real learners, Debian's chromium) and keeps its screenshot. Needs chromium and chromium-driver
# (apt-get install chromium chromium-driver), and for the Japanese switch a CJK font
# (apt-get install fonts-ipafont-gothic).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
./mvnw -B -q verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ClassroomBrowserIT -Dclassroom.screenshot=docs/classroom.png
echo "wrote docs/classroom.png"
