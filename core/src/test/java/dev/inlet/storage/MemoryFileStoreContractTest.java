package dev.inlet.storage;

import dev.inlet.contract.FileStoreContract;

/** The file store contract holds for a store with neither folders nor renames. */
class MemoryFileStoreContractTest extends FileStoreContract {
  @Override
  protected FileStore newStore() {
    return new MemoryFileStore("contract");
  }
}
