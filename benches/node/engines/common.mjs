// What every adapter shares: importing an ES module from bytes already in memory, JSON text.
export async function importBytes(buf) {
  return import(`data:text/javascript;base64,${buf.toString('base64')}`);
}

export const text = (buf) => buf.toString('utf8');
