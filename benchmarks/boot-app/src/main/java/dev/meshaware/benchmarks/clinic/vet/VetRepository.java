package dev.meshaware.benchmarks.clinic.vet;

import java.util.List;
import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;

/** Vets with their specialties. */
public interface VetRepository extends JpaRepository<Vet, Integer> {
  @EntityGraph(attributePaths = "specialties")
  List<Vet> findAllByOrderByLastNameAscFirstNameAsc();
}
