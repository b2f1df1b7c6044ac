package dev.meshaware.benchmarks.clinic.owner;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;

/** Owners, found by the start of their last name, with their pets. */
public interface OwnerRepository extends JpaRepository<Owner, Integer> {
  @EntityGraph(attributePaths = {"pets", "pets.type"})
  List<Owner> findByLastNameStartingWithIgnoreCaseOrderByLastNameAscFirstNameAsc(String lastName);

  @EntityGraph(attributePaths = {"pets", "pets.type"})
  Optional<Owner> findWithPetsById(Integer id);
}
