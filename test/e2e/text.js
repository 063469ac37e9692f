// Text read from the workbench's DOM as one line: no-break spaces and runs of white space become one space.
const oneLine = (s) => s.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

module.exports = { oneLine };
